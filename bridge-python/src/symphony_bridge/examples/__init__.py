"""Example robot adapters."""
