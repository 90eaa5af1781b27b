"""Words of the command line."""

DA = {
    "cli.init.done": "Ny caselog-mappe: {folder}",
    "cli.init.exists": "{folder} er allerede en caselog-mappe",
    "cli.demo.done": "Demo skrevet til {folder}: {inquiries} henvendelser og {appeals} ankeafgørelser",
    "cli.demo.notempty": "{folder} findes og er ikke tom; vælg en ny mappe til demoen",
    "cli.not_folder": "{folder} er ikke en caselog-mappe (mangler caselog.toml); opret en med: caselog init {folder}",
    "cli.settings_error": "{path}:{line}: {message}",
    "cli.check.ok": "{files} filer læst: ingen problemer",
    "cli.check.summary": "{files} filer læst: {errors} fejl, {warnings} advarsler",
    "cli.report.bad_period": "ukendt periode: {detail}",
    "cli.report.bad_theme": "ukendt tema til figur 4: {theme} (temaerne: {themes})",
    "cli.report.binary_tty": "{fmt} skrives ikke til terminalen; angiv en fil med -o FILE",
    "cli.wrote": "Skrev {path}",
    "cli.interrupted": "afbrudt",
    "cli.demo.exists": "{folder} er allerede en caselog-mappe; den åbnes, som den er",
    "cli.demo.commit": "Demodata: borgerrådgiverens registreringer 2022/23-2024/25",
    "cli.open.ask_create": "{folder} findes ikke som caselog-mappe. Opret den? [j/N]",
}

EN = {
    "cli.init.done": "New caselog folder: {folder}",
    "cli.init.exists": "{folder} is a caselog folder already",
    "cli.demo.done": "Demo written to {folder}: {inquiries} inquiries and {appeals} appeal decisions",
    "cli.demo.notempty": "{folder} exists and is not empty; choose a new folder for the demo",
    "cli.not_folder": "{folder} is not a caselog folder (no caselog.toml); make one with: caselog init {folder}",
    "cli.settings_error": "{path}:{line}: {message}",
    "cli.check.ok": "{files} files read: no problems",
    "cli.check.summary": "{files} files read: {errors} errors, {warnings} warnings",
    "cli.report.bad_period": "unknown period: {detail}",
    "cli.report.bad_theme": "unknown theme for figure 4: {theme} (the themes: {themes})",
    "cli.report.binary_tty": "{fmt} is not written to the terminal; name a file with -o FILE",
    "cli.wrote": "Wrote {path}",
    "cli.interrupted": "interrupted",
    "cli.demo.exists": "{folder} is a caselog folder already; opening it as it is",
    "cli.demo.commit": "Demo data: the citizens' advisor's registrations 2022/23-2024/25",
    "cli.open.ask_create": "{folder} is not a caselog folder. Create it? [y/N]",
}
