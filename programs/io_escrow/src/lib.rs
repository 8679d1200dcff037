//! # io_escrow — offers and lease escrow (skeleton)
#![allow(unexpected_cfgs)]
#![deny(clippy::arithmetic_side_effects)]
use anchor_lang::prelude::*;

declare_id!("4y11EiTTi4LJ2Qc42577NzvMwt8jc6onfwkRZ1ytmCZx");

#[program]
pub mod io_escrow {}
