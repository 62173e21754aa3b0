"""The gaming-signals detector: CRM exports read, peer-relative tests, synthetic exports, plots, report."""
