"""Pages for supervision: spot checks, bulletins, the HQ figures."""
