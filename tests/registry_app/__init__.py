"""A throw-away app for tests/core/test_registry.py: installed only by that test, it brings a
page, two menu entries, an API route and an API view, a role permission and a demo hook
through its registry.py alone, as any new app would."""
