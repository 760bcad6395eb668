"""Pages for attendance at the post: the officer's check-in, the live duty board."""
