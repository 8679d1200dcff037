# IO Compute — the two commands a newcomer needs:
#   make up     run the system locally (for now: a scripted scenario through the programs)
#   make test   run every test
CARGO ?= cargo
# program-test logs every instruction at debug level; tests assert, they need no log.
export RUST_LOG ?= error

.PHONY: up test lint fmt fuzz bench

up:
	$(CARGO) run -q -p io-demo

test:
	$(CARGO) fmt --all -- --check
	$(CARGO) test --workspace --locked

# Program crates deny clippy::arithmetic_side_effects (set in their sources); all warnings fail.
lint:
	$(CARGO) clippy --workspace --all-targets --locked -- -D warnings

fmt:
	$(CARGO) fmt --all

# Longer runs of the randomized staking and escrow tests: make fuzz SEEDS=64 STEPS=500
SEEDS ?= 32
STEPS ?= 400
fuzz:
	IO_FUZZ_SEEDS=$(SEEDS) IO_FUZZ_STEPS=$(STEPS) $(CARGO) test -p io-testkit --test staking --test escrow random -- --nocapture

# Merkle trees and every proof for 10k, 100k and 1M leaves (release build).
bench:
	$(CARGO) bench -p io-merkle
