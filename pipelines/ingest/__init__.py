"""Reading departmental extracts: contracts, the generic reader and the load ledger."""
