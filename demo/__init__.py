"""The demo district (seed_demo): data like the source report's, one login per role."""
