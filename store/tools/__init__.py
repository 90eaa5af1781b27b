"""Work on a whole folder from the command line: anonymising old inquiries
(anonymize) and writing the demo data (demo)."""
