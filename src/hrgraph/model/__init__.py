"""Values and names shared by every stage; imports nothing else of hrgraph."""
