"""The domain: records, the taxonomy, periods, the summary tables, CPR numbers,
problems and their messages, today's date. Nothing here touches a data folder."""
