"""Outages recorded from other records (issue 12): tickets (``tickets``); the endpoint benchmark."""
