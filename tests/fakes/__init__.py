"""Local fake servers that speak each provider's real protocol on loopback (Plex, the plex.tv
discover watchlist, TMDB, UPCitemdb, OpenAI-compatible vision, Trakt). Point a provider's
`base_url` setting at `fake.url` (or the fake's `base_url`) and the real adapters talk to them
over HTTP."""
