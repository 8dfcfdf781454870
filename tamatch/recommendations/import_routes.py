"""The upload page for recommendation imports (organisers and admins)."""
