//! The JSON Schemas of the responses, as the OpenAPI document's `components.schemas`: the rows'
//! JSON shape, field by field. Columns the schema lets be NULL are `[type, "null"]`: a row can
//! be known from an event before the account that fills the rest is read. Every listed field is
//! required (the server always writes the key); extra fields are allowed, so that adding a
//! column is not a breaking change. The API tests run schemathesis's response-conformance check
//! against these on the fixture database.
use serde_json::{json, Map, Value};

fn t(ty: &str) -> Value {
    json!({ "type": ty })
}
fn n(ty: &str) -> Value {
    json!({ "type": [ty, "null"] })
}
fn int() -> Value {
    t("integer")
}
fn nint() -> Value {
    n("integer")
}
fn text() -> Value {
    t("string")
}
fn ntext() -> Value {
    n("string")
}
fn nbool() -> Value {
    n("boolean")
}
/// A u128 figure: a decimal string (JSON numbers lose precision past 2^53 in most clients).
fn big() -> Value {
    json!({ "type": ["string", "null"], "pattern": "^[0-9]+$" })
}
fn r(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}
fn array(items: Value) -> Value {
    json!({ "type": "array", "items": items })
}
fn nullable(schema: Value) -> Value {
    json!({ "oneOf": [schema, { "type": "null" }] })
}
fn any_object() -> Value {
    t("object")
}

/// An object with these fields, all required.
fn obj(fields: &[(&str, Value)]) -> Value {
    let mut props = Map::new();
    for (k, v) in fields {
        props.insert((*k).to_owned(), v.clone());
    }
    let required: Vec<&str> = fields.iter().map(|(k, _)| *k).collect();
    json!({ "type": "object", "required": required, "properties": props })
}

/// `obj` plus fields that only some responses carry.
fn obj_with_optional(fields: &[(&str, Value)], optional: &[(&str, Value)]) -> Value {
    let mut o = obj(fields);
    for (k, v) in optional {
        o["properties"][*k] = v.clone();
    }
    o
}

fn operator_fields() -> Vec<(&'static str, Value)> {
    vec![
        ("address", text()),
        ("authority", ntext()),
        ("name", ntext()),
        ("region", ntext()),
        ("metadata_url", ntext()),
        ("commission_bps", nint()),
        ("pending_commission_bps", nint()),
        ("commission_effective_ts", nint()),
        ("bond", nint()),
        ("bond_withdrawing", nint()),
        ("bond_unlock_ts", nint()),
        ("required_bond", nint()),
        ("devices_active", nint()),
        ("devices_registered", nint()),
        ("gpus_active", nint()),
        ("stake_shares", nint()),
        ("stake_tokens", nint()),
        ("unbonding_tokens", nint()),
        ("reward_per_share", big()),
        ("commission_claimable", nint()),
        ("delegator_count", nint()),
        ("slash_count", nint()),
        ("total_slashed", nint()),
        ("registered_ts", nint()),
        ("slot", int()),
        // The operators table (issue 14): figures kept by the store, see `store::operators`.
        ("gpus_total", nint()),
        ("devices_live", nint()),
        ("devices_jailed", nint()),
        (
            "uptime_bps",
            json!({ "type": ["integer", "null"], "minimum": 0, "maximum": 10_000,
            "description": "active share of the devices not retired, bps (the latest certified reports keep a device active)" }),
        ),
        (
            "reward_last_amount",
            json!({ "type": ["integer", "null"], "description": "last reward claimed against a certified report, $IO base units" }),
        ),
        (
            "reward_last_span",
            json!({ "type": ["integer", "null"], "description": "reward periods (hours) that reward paid for" }),
        ),
        (
            "status",
            json!({ "type": "string", "enum": crate::store::operators::STATUSES,
            "description": "jailed: a device is jailed; active: a device is active; exiting: bond withdrawal requested; inactive: none of these" }),
        ),
        ("gpu_models", array(text())),
        (
            "est_net_apy_bps",
            json!({ "type": ["integer", "null"], "minimum": 0,
            "description": "io_sdk estimated_net_apy_bps: the last reward less commission (current rate, rounded up), per period, x 8,760 periods, over the stake; null: no stake or no reward yet" }),
        ),
        (
            "commission_requested_ts",
            json!({ "type": ["integer", "null"], "description": "block time of the newest commission change request" }),
        ),
        (
            "commission_change_effective_ts",
            json!({ "type": ["integer", "null"], "description": "when that change takes (or took) effect" }),
        ),
        (
            "commission_changed_7d",
            json!({ "type": "boolean", "description": "a commission change was requested, or took effect, within 7 days of chain time" }),
        ),
    ]
}

fn device_fields() -> Vec<(&'static str, Value)> {
    vec![
        ("address", text()),
        ("operator", ntext()),
        ("id_hash", ntext()),
        ("worker_key", ntext()),
        ("gpu_model", ntext()),
        ("gpu_count", nint()),
        ("vram_gb", nint()),
        ("region", ntext()),
        ("green", nbool()),
        ("class", ntext()),
        ("status", ntext()),
        ("registered_ts", nint()),
        ("status_ts", nint()),
        ("slot", int()),
        ("offer", ntext()),
        ("offer_active", nbool()),
        ("price_usdc_per_hour", nint()),
        ("price_io_per_hour", nint()),
        ("min_hours", nint()),
        ("max_hours", nint()),
        ("lease", ntext()),
        ("leased_until", nint()),
    ]
}

fn lease_fields() -> Vec<(&'static str, Value)> {
    vec![
        ("address", text()),
        ("renter", ntext()),
        ("payment_mint", ntext()),
        ("fee_bps", nint()),
        ("hours", nint()),
        ("start_ts", nint()),
        ("end_ts", nint()),
        ("deposit", nint()),
        ("paid", nint()),
        ("fees", nint()),
        ("refunded", nint()),
        ("device_count", nint()),
        ("status", ntext()),
        ("slot", int()),
    ]
}

fn with(
    mut base: Vec<(&'static str, Value)>,
    more: Vec<(&'static str, Value)>,
) -> Vec<(&'static str, Value)> {
    base.extend(more);
    base
}

fn supply() -> Value {
    obj(&[
        ("decimals", nint()),
        ("max_supply", nint()),
        ("total_minted", nint()),
        ("total_burned", nint()),
        ("supply", nint()),
        ("burned_lease_fee", nint()),
        ("burned_buyback", nint()),
        ("burned_slash", nint()),
        ("burned_other", nint()),
        ("emitted", nint()),
        ("rewards_withdrawn", nint()),
        ("circulating", nint()),
        ("emission_schedule", n("object")),
        ("slot", int()),
    ])
}

/// The named schemas: the envelopes, and each endpoint's `data`.
pub fn components() -> Value {
    let event = obj(&[
        ("id", int()),
        ("signature", text()),
        ("slot", int()),
        ("block_time", nint()),
        ("program", text()),
        ("event_name", text()),
        ("ix_path", text()),
        ("event_index", int()),
        ("finalized", t("boolean")),
        ("payload", any_object()),
    ]);
    let program_error = obj(&[("program", text()), ("code", int()), ("name", text()), ("message", text())]);
    let transaction = obj(&[
        ("signature", text()),
        ("slot", int()),
        ("block_time", nint()),
        ("success", t("boolean")),
        ("finalized", t("boolean")),
        (
            "err",
            json!({ "type": ["object", "string", "null"], "description": "the node's error as it gave it" }),
        ),
        ("error", nullable(r("ProgramError"))),
        ("event_count", int()),
        ("events", array(r("Event"))),
        ("instructions", array(obj(&[("path", text()), ("program", text()), ("name", ntext())]))),
    ]);
    let operator_detail = obj(&with(
        operator_fields(),
        vec![
            (
                "commission_history",
                array(obj(&[
                    ("event", text()),
                    ("signature", text()),
                    ("slot", int()),
                    ("block_time", nint()),
                    ("commission_bps", nint()),
                    ("requested_bps", nint()),
                    ("effective_ts", nint()),
                ])),
            ),
            ("devices", array(r("Device"))),
            ("slashes", array(r("Slash"))),
            (
                "bond_status",
                obj(&[
                    ("posted", int()),
                    (
                        "required",
                        json!({ "type": "integer", "description": "Σ class bond × units of the active devices (io_staking)" }),
                    ),
                    (
                        "free",
                        json!({ "type": "integer", "description": "what request_bond_withdrawal may take" }),
                    ),
                    ("covered", t("boolean")),
                ]),
            ),
            (
                "earnings",
                obj(&[
                    (
                        "rewards_allotted",
                        json!({ "type": "integer", "description": "Σ rewards claimed for the operator against certified reports (commission and delegators' parts)" }),
                    ),
                    ("commission_claimed", int()),
                    ("delegator_rewards_claimed", int()),
                ]),
            ),
        ],
    ));
    let slash = obj(&[
        ("address", text()),
        ("idx", nint()),
        ("amount", nint()),
        ("evidence_hash", ntext()),
        ("executable_ts", nint()),
        ("status", ntext()),
        ("from_bond", nint()),
        ("from_stake", nint()),
        ("from_unbonding", nint()),
        ("slot", int()),
    ]);
    let quote_device = obj(&[
        ("device", text()),
        ("operator", ntext()),
        ("offer", ntext()),
        (
            "price_per_hour",
            json!({ "type": "integer", "description": "the offer's price per device-hour in the currency, base units" }),
        ),
        ("escrow", json!({ "type": "integer", "description": "price_per_hour × hours" })),
    ]);
    let quote = obj(&[
        ("currency", json!({ "type": "string", "enum": ["usdc", "io"] })),
        ("payment_mint", text()),
        ("hours", int()),
        ("fee_bps", int()),
        ("devices", array(r("QuoteDevice"))),
        ("rate_per_hour", int()),
        ("escrow", json!({ "type": "integer", "description": "Σ of the devices' escrow" })),
        (
            "fee",
            json!({ "type": "integer", "description": "protocol fee reserved on escrow, rounded up (USDC 2%, $IO none)" }),
        ),
        (
            "total",
            json!({ "type": "integer", "description": "escrow + fee: the deposit, and the max_deposit to sign" }),
        ),
        ("min_deposit", int()),
        ("now", json!({ "type": "integer", "description": "chain time availability was judged at" })),
    ]);
    let device_row = obj_with_optional(
        &with(
            device_fields(),
            vec![("availability", json!({ "type": "string", "enum": ["available", "leased", "unlisted"] }))],
        ),
        &[("distance", nint()), ("distance_km", nint())],
    );
    let position = obj(&[
        ("operator", text()),
        ("staker", text()),
        ("address", ntext()),
        ("operator_name", ntext()),
        ("commission_bps", nint()),
        ("shares", nint()),
        ("value", nint()),
        ("activating_shares", nint()),
        ("activating_value", nint()),
        ("activation_period", nint()),
        ("pending_unstakes", array(any_object())),
        ("pool_shares", nint()),
        ("pool_tokens", nint()),
        ("reward_per_share_paid", big()),
        ("rewards_owed", nint()),
        ("rewards_claimed", nint()),
        ("claimable_rewards", nint()),
        ("slot", int()),
    ]);
    let lease_detail = obj(&with(
        lease_fields(),
        vec![
            (
                "devices",
                array(obj(&[
                    ("device", text()),
                    ("operator", ntext()),
                    ("device_index", nint()),
                    ("rate_per_hour", nint()),
                    ("attested_seconds", nint()),
                    ("paid", nint()),
                ])),
            ),
            (
                "settlements",
                array(obj(&[
                    ("event_id", int()),
                    ("signature", text()),
                    ("slot", int()),
                    ("block_time", nint()),
                    ("device", ntext()),
                    ("device_index", nint()),
                    ("attested_before", nint()),
                    ("attested_after", nint()),
                    ("paid", nint()),
                    ("fee", nint()),
                ])),
            ),
        ],
    ));
    let burn = obj(&[
        ("event_id", int()),
        ("signature", text()),
        ("slot", int()),
        ("block_time", nint()),
        ("reason", ntext()),
        ("authority", ntext()),
        ("source", ntext()),
        ("amount", nint()),
    ]);
    let report = obj(&[
        ("address", text()),
        ("period", nint()),
        ("digest", ntext()),
        ("set_epoch", nint()),
        ("rewards_root", ntext()),
        ("usage_root", ntext()),
        ("devices_root", ntext()),
        ("slashes_root", ntext()),
        ("usdc_per_io", nint()),
        ("emission_distributed", nint()),
        ("device_seconds", nint()),
        ("devices_attested", nint()),
        ("expiry_slot", nint()),
        ("status", ntext()),
        ("signers", nint()),
        ("posted_by", ntext()),
        ("certified_slot", nint()),
        ("slot", int()),
    ]);
    let network = obj(&[
        ("operators", any_object()),
        ("devices", any_object()),
        ("devices_by_class", array(any_object())),
        ("leases", any_object()),
        ("settlements", any_object()),
        ("buybacks", any_object()),
        ("reports", any_object()),
        ("oracle_set", n("object")),
        ("supply", r("Supply")),
        ("overview", r("Overview")),
    ]);
    let health = obj(&[
        ("status", json!({ "type": "string", "enum": ["ok", "unhealthy"] })),
        ("reasons", array(text())),
        ("indexed_slot", int()),
        (
            "chain_slot",
            json!({ "type": "integer", "description": "the node's confirmed slot (the probe's reading when this process ingests)" }),
        ),
        ("lag_slots", int()),
        (
            "chain_time",
            json!({ "type": ["integer", "null"], "description": "block time (unix seconds) of the indexed slot: chain time for countdowns; null before any" }),
        ),
    ]);
    let status = obj(&[
        ("indexed_slot", int()),
        ("indexed_block_time", nint()),
        (
            "chain_time",
            json!({ "type": ["integer", "null"], "description": "= indexed_block_time: chain time (unix seconds) at the indexed slot" }),
        ),
        ("finalized_slot", int()),
        (
            "chain_slot",
            json!({ "type": "integer", "description": "the node's confirmed slot, read apart from ingestion" }),
        ),
        ("lag_slots", int()),
        ("unfinalized_slots", int()),
        ("last_event_id", int()),
        ("cursors", array(obj(&[("program", text()), ("last_signature", text()), ("last_slot", int())]))),
        (
            "ingest",
            nullable(obj(&[
                ("healthy", t("boolean")),
                ("reasons", array(text())),
                ("node_slot", nint()),
                ("node_slot_age_ms", nint()),
                ("last_progress_age_ms", int()),
                ("last_round_age_ms", nint()),
                ("last_round_error", ntext()),
                ("chain_problem", ntext()),
                ("resets", int()),
            ])),
        ),
    ]);
    let error = json!({
        "type": "object",
        "required": ["error"],
        "properties": { "error": { "type": "object", "required": ["parameter", "message"], "properties": {
            "parameter": { "type": ["string", "null"], "description": "the parameter at fault" },
            "message": { "type": "string" },
        }}},
    });
    let mut all = json!({
        "Error": error,
        "Event": event,
        "ProgramError": program_error,
        "Transaction": transaction,
        "Operator": obj(&operator_fields()),
        "OperatorDetail": operator_detail,
        "Slash": slash,
        "QuoteDevice": quote_device,
        "Quote": quote,
        "Device": obj(&device_fields()),
        "DeviceRow": device_row,
        "Position": position,
        "Lease": obj(&lease_fields()),
        "LeaseDetail": lease_detail,
        "Burn": burn,
        "Supply": supply(),
        "Network": network,
        "Report": report,
        "Health": health,
        "Status": status,
        "Overview": overview(),
        "NetworkHistory": history_series(network_point(), &[]),
        "OperatorHistory": history_series(operator_point(), &[("operator", text())]),
        "WalletRewards": history_series(
            rewards_point(),
            &[
                ("wallet", text()),
                ("decimals", nint()),
                ("positions", array(position_rewards())),
                ("claims", array(claim())),
            ],
        ),
    });
    if let Some(m) = all.as_object_mut() {
        m.extend(super::proofs::schemas().into_iter().map(|(k, v)| (k.to_owned(), v)));
    }
    all
}

// History series and the overview (part B1).

/// `{bucket, from, to, points, …extra}`.
fn history_series(point: Value, extra: &[(&str, Value)]) -> Value {
    let mut fields = vec![
        ("bucket", json!({ "type": "string", "enum": ["hour", "day"] })),
        (
            "from",
            json!({ "type": "integer", "description": "first bucket start (unix seconds, chain time)" }),
        ),
        ("to", json!({ "type": "integer", "description": "last bucket start" })),
        ("points", array(point)),
    ];
    fields.extend(extra.iter().cloned());
    obj(&fields)
}

fn network_point() -> Value {
    obj(&[
        ("t", int()),
        ("staked", int()),
        ("operators", int()),
        ("devices_active", int()),
        ("gpus_active", int()),
        ("burned", int()),
        ("burned_in_bucket", int()),
        ("supply", nint()),
        ("minted", nint()),
    ])
}

fn operator_point() -> Value {
    obj(&[
        ("t", int()),
        ("stake", int()),
        ("delegators", int()),
        ("commission_bps", nint()),
        ("rewards", int()),
        ("rewards_commission", int()),
        ("rewards_to_delegators", int()),
        ("devices_active", int()),
        ("gpus_active", int()),
        ("devices_live", int()),
        (
            "uptime_bps",
            json!({ "type": ["integer", "null"], "description": "devices_active × 10,000 / devices_live, rounded down; null without a live device" }),
        ),
        ("slashes", int()),
        ("slashed_stake", int()),
    ])
}

fn rewards_point() -> Value {
    obj(&[("t", int()), ("claimed", int()), ("cumulative_claimed", int())])
}

fn position_rewards() -> Value {
    obj(&[
        ("operator", text()),
        ("operator_name", ntext()),
        ("claimed_total", int()),
        ("claimable_now", nint()),
        ("points", array(rewards_point())),
    ])
}

fn claim() -> Value {
    obj(&[
        ("event_id", int()),
        ("signature", text()),
        ("slot", int()),
        ("block_time", nint()),
        ("operator", ntext()),
        ("amount", nint()),
    ])
}

fn overview() -> Value {
    obj(&[
        ("chain_time", json!({ "type": "integer", "description": "the chain time the figures are at" })),
        ("staked", int()),
        ("operators", int()),
        ("operators_active", int()),
        ("devices_attested", int()),
        ("gpus_attested", int()),
        ("by_class", array(obj(&[("class", ntext()), ("devices", int()), ("gpus", int())]))),
        (
            "burned_30d",
            json!({ "type": "integer", "description": "$IO burned in the last burn_window_secs of chain time" }),
        ),
        ("burn_window_secs", int()),
        ("active_leases", int()),
        (
            "median_net_apy_bps",
            json!({ "type": ["integer", "null"], "description": "median (the lower middle value) of io_sdk's estimated net APY (bps) over the \
                   operators with stake and a report reward: each from its latest reward, less its commission, per period, annualised, \
                   over its stake; null when none has one" }),
        ),
        ("operators_with_apy", int()),
        ("proofs", r("OverviewProofs")),
    ])
}

/// `{ slot, finalized_slot, data: [<row>], next_cursor }` (and `extra` top-level fields).
pub fn page(row: &str, extra: &[(&str, Value)]) -> Value {
    let mut fields = vec![
        ("slot", json!({ "type": "integer", "description": "indexed slot the data reflects" })),
        ("finalized_slot", int()),
        ("data", array(r(row))),
        ("next_cursor", ntext()),
    ];
    fields.extend(extra.iter().cloned());
    obj(&fields)
}

/// `{ slot, finalized_slot, data: <schema> }`.
pub fn item(data: Value) -> Value {
    obj(&[
        ("slot", json!({ "type": "integer", "description": "indexed slot the data reflects" })),
        ("finalized_slot", int()),
        ("data", data),
    ])
}

pub fn named(name: &str) -> Value {
    r(name)
}

pub fn list_of(name: &str) -> Value {
    array(r(name))
}
