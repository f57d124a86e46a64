"""SLA on tickets (§5.3.1): stamping, timers, warnings and escalation for any ticket DocType."""
