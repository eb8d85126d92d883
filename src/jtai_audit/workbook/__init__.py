"""Reading case files: xlsx/csv in, typed cases out, problems at Sheet!A1, the pseudonym check."""
