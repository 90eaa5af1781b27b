"""Words about personal data: the CPR warning and ``caselog anonymize``."""

DA = {
    # shown under a form field whose text looks like a CPR number (store.domain.cpr.has_cpr)
    "privacy.cpr_warning": "Ser ud som et CPR-nummer",
    "privacy.tightened": "{n} filer kunne læses af andre (som git clone efterlader dem): nu kan kun du læse dem",
    "privacy.cpr_warning_fields": "Ser ud som et CPR-nummer: {fields} – tjek om det skal stå der (du kan stadig gemme)",
    "privacy.field.title": "titel",
    "privacy.field.notes": "noter",
    "privacy.field.citizen": "borger",
    "privacy.anon.bad_date": "ukendt dato: {text} (skriv fx 2023-01-01)",
    "privacy.anon.none": "Ingen lukkede henvendelser modtaget før {date} har personoplysninger at fjerne.",
    "privacy.anon.dry_header": "Prøvekørsel, intet er ændret. {n} lukkede henvendelser modtaget før {date} ville blive anonymiseret:",
    "privacy.anon.dry_line": "    {id}: {fields} fjernes",
    "privacy.anon.dry_footer": "Kør uden --dry-run for at anonymisere dem.",
    "privacy.anon.done": "Anonymiserede {n} lukkede henvendelser modtaget før {date} (titel, noter og borger fjernet; tabellerne er uændrede).",
    "privacy.anon.cpr_left": "    {id}: {fields} ligner stadig et CPR-nummer; ret det i hånden",
    "privacy.anon.unreadable": "Disse henvendelser kunne ikke læses og er ikke anonymiseret; ret dem (caselog check) og kør igen:",
    "privacy.anon.write_failed": "kunne ikke skrive {path}: {detail}. {n} filer nåede at blive anonymiseret; kør kommandoen igen",
    "privacy.anon.commit": "Gemt i git som én commit: \"{message}\"",
    "privacy.anon.commit_failed": "Filerne er anonymiseret, men git-commit mislykkedes: {detail}",
    "privacy.anon.no_git": "Mappen er ikke et git-arkiv: der er ingen historik med den gamle tekst.",
    "privacy.anon.history": (
        "Bemærk: git-historikken indeholder stadig den gamle tekst (også i alle kloner og "
        "fjernarkivet). En administrator fjerner den ved at omskrive historikken med "
        "git filter-repo --replace-text, eller ved at oprette arkivet på ny ud fra de "
        "nuværende filer (rm -rf .git && git init && git add -A && git commit) og erstatte "
        "fjernarkivets historik; hver klon skal derefter slettes og klones på ny. "
        "Se README.md, afsnittet \"Personal data\"."
    ),
    "privacy.anon.backups": "Sikkerhedskopier og kopier, der er lavet før i dag, indeholder stadig den gamle tekst.",
    "privacy.anon.commit_message": "Anonymiseret {n} henvendelser modtaget før {date}",
}

EN = {
    "privacy.tightened": "{n} files were readable by others (as git clone leaves them): now only you can read them",
    "privacy.cpr_warning": "Looks like a CPR number",
    "privacy.cpr_warning_fields": "Looks like a CPR number: {fields} – check that it belongs there (you can still save)",
    "privacy.field.title": "title",
    "privacy.field.notes": "notes",
    "privacy.field.citizen": "citizen",
    "privacy.anon.bad_date": "unknown date: {text} (write e.g. 2023-01-01)",
    "privacy.anon.none": "No closed inquiry received before {date} has personal data to remove.",
    "privacy.anon.dry_header": "Dry run, nothing changed. {n} closed inquiries received before {date} would be anonymised:",
    "privacy.anon.dry_line": "    {id}: {fields} removed",
    "privacy.anon.dry_footer": "Run without --dry-run to anonymise them.",
    "privacy.anon.done": "Anonymised {n} closed inquiries received before {date} (title, notes and citizen removed; the tables are unchanged).",
    "privacy.anon.cpr_left": "    {id}: {fields} still looks like a CPR number; edit it by hand",
    "privacy.anon.unreadable": "These inquiries could not be read and are not anonymised; fix them (caselog check) and run again:",
    "privacy.anon.write_failed": "could not write {path}: {detail}. {n} files were anonymised before that; run the command again",
    "privacy.anon.commit": "Saved in git as one commit: \"{message}\"",
    "privacy.anon.commit_failed": "The files are anonymised, but the git commit failed: {detail}",
    "privacy.anon.no_git": "The folder is not a git repository: there is no history holding the old text.",
    "privacy.anon.history": (
        "Note: the git history still holds the old text (in every clone and the remote too). "
        "An administrator removes it by rewriting the history with git filter-repo --replace-text, "
        "or by re-creating the repository from the current files "
        "(rm -rf .git && git init && git add -A && git commit) and replacing the remote's history; "
        "every clone must then be deleted and cloned again. "
        "See README.md, section \"Personal data\"."
    ),
    "privacy.anon.backups": "Backups and copies made before today still hold the old text.",
    "privacy.anon.commit_message": "Anonymised {n} inquiries received before {date}",
}
