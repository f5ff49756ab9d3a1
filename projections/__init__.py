"""The read side: tables built from the event log, and the runner that keeps them."""
