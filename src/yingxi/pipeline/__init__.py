"""The production engine: task keys, the content-addressed store, the runner, the episode
pipeline and its progress events. It knows stages by their declarations only."""
