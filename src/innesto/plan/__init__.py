"""The strategic plan as code: Pydantic model, explained status, formats."""
