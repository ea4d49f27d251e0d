"""newsweave: a sourced picture of each news event from raw articles."""
