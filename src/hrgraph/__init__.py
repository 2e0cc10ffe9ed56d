"""hrgraph: human-rights documentation as Linked Data."""
