"""Rule conditions: expressions compiled and null-checked, working days, phrase matching."""
