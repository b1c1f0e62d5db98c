"""The corpus: its YAML files loaded and checked (file, line, field), the glossary's
checks, summaries split into paragraphs, and new reports imported from the IAPB's page."""
