"""The build pipeline: curated → resolve → emit → validate → publish (build.py runs them in order)."""
