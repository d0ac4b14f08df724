"""Read-only views for the dashboards: query functions returning pandas frames or frozen
dataclasses. Every function takes the session factory and the actor; private data is only
returned inside the actor's scope (wfm.views.scope). Nothing here writes or runs at import."""
