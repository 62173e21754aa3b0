"""Hand-in and the room: the exchange, gathering the briefs, the page, charts, the notebook view."""
