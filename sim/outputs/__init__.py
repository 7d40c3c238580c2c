"""What a run shows: charts, the report (HTML, Markdown, PDF), spreadsheets and the terminal
summary. Reads results; computes no law."""
