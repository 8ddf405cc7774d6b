"""Reading files people export from other apps: bytes → text → table or records → normalized items."""
