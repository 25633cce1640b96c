"""The build layer: sources run into named graphs with their provenance, validated, and published
as an immutable store version that the endpoint switches to atomically."""
