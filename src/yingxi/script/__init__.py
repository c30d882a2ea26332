"""Text in, schema out: the Fountain reader, the bible and config loaders, error formatting."""
