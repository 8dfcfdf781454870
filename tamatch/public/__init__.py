"""Public pages: aggregate figures for anyone, and each State's page for its peers."""
