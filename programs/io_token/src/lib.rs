//! # io_token — the capped $IO token (skeleton; filled by the io_token work)
#![allow(unexpected_cfgs)]
#![deny(clippy::arithmetic_side_effects)]
use anchor_lang::prelude::*;

declare_id!("4JMU9ZEhgFT24Py6JpEKBuhsJA6D7iaYr1EeKkDTFG78");

#[program]
pub mod io_token {}
