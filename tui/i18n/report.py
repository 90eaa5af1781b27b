"""Words of the summary tables (the report's own Danish headings)."""

DA = {
    "report.title": "Borgerrådgiverens opgørelse {period}",
    "report.period": "Periode {label}: {start} – {end}",
    "report.headline": (
        "{inquiries} henvendelser med i alt {points} klagepunkter (hovedsager og følgesager). "
        "Klagesager: {complaint} ({complaint_pct}). Andre henvendelser: {inquiry} ({inquiry_pct}). "
        "Hjælp til at klage (indgår ikke i tabellerne): {complaint_help}."
    ),
    "report.headline.previous": "Forrige periode ({label}): {inquiries} henvendelser, {points} klagepunkter.",
    "report.t1": "Tabel 1 Fordeling af henvendelser i de enkelte afdelinger",
    "report.t2": "Tabel 2: Sager fordelt efter emne og afdeling",
    "report.t3": "Tabel 3: Oversigt over klagesagsafgørelser fra Ankestyrelsen",
    "report.t4": "Tabel 4: Oversigt over temaet for Ankestyrelsens bemærkninger i klagesagsafgørelser",
    "report.f1": "Figur 1: Forholdsmæssig fordeling mellem afdelingerne",
    "report.f2": "Figur 2: Sager pr. afdeling over perioderne",
    "report.f3": "Figur 3: Tema for henvendelserne",
    "report.f4": "Figur 4: Emner under '{theme}'",
    "report.department": "Afdeling",
    "report.theme": "Emne",
    "report.main": "Hovedsag",
    "report.follow_up": "Følgesager",
    "report.total": "Sager i alt",
    "report.all": "I alt",
    "report.previous": "{label}",
    "report.share": "Andel",
    "report.no_remarks": "Uden bemærkninger",
    "report.remarks": "Med bemærkninger",
    "report.rejected": "Klage afvist",
    "report.appeals.sentence": (
        "Ankestyrelsen har haft bemærkninger til sagsbehandlingen i {with_remarks} af {decided} sager "
        "({decisions} afgørelser i alt, heraf {rejected} afvist)."
    ),
    "report.t4.note": (
        "En afgørelse kan rumme flere bemærkninger, så kolonnerne summerer ikke til antallet "
        "af sager med bemærkninger."
    ),
    "report.zero_hidden": "Rækker uden sager er udeladt.",
    "report.none": "Ingen sager i perioden.",
    "report.warnings": "Advarsler",
}

EN = {
    "report.title": "Citizens' advisor summary {period}",
    "report.period": "Period {label}: {start} – {end}",
    "report.headline": (
        "{inquiries} inquiries with {points} points in all (main and follow-up issues). "
        "Complaints: {complaint} ({complaint_pct}). Other inquiries: {inquiry} ({inquiry_pct}). "
        "Help to complain (not in the tables): {complaint_help}."
    ),
    "report.headline.previous": "Previous period ({label}): {inquiries} inquiries, {points} points.",
    "report.t1": "Table 1 Inquiries by department",
    "report.t2": "Table 2: Issues by theme and department",
    "report.t3": "Table 3: Appeal-board decisions",
    "report.t4": "Table 4: Themes of the appeal board's remarks",
    "report.f1": "Figure 1: Share of each department",
    "report.f2": "Figure 2: Issues per department across periods",
    "report.f3": "Figure 3: Themes of the inquiries",
    "report.f4": "Figure 4: Subthemes of '{theme}'",
    "report.department": "Department",
    "report.theme": "Theme",
    "report.main": "Main issue",
    "report.follow_up": "Follow-up issues",
    "report.total": "Total",
    "report.all": "Total",
    "report.previous": "{label}",
    "report.share": "Share",
    "report.no_remarks": "No remarks",
    "report.remarks": "With remarks",
    "report.rejected": "Rejected",
    "report.appeals.sentence": (
        "The appeal board remarked on the case handling in {with_remarks} of {decided} cases "
        "({decisions} decisions in all, {rejected} rejected)."
    ),
    "report.t4.note": (
        "A decision can carry several remarks, so the columns do not add up to the decisions "
        "with remarks."
    ),
    "report.zero_hidden": "Rows without issues are left out.",
    "report.none": "No issues in the period.",
    "report.warnings": "Warnings",
}
