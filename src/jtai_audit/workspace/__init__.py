"""`jtai-audit serve`: the round in a browser, on this computer only, over a SQLite store."""
