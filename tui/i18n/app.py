"""Words of the terminal app (screens, forms, keys)."""

DA = {
    # confirm
    "app.confirm.yes": "Ja",
    "app.confirm.no": "Nej",
    "app.confirm.yes_tip": "Svar ja",
    "app.confirm.no_tip": "Svar nej",
    # list keys
    "app.key.up": "Op",
    "app.key.down": "Ned",
    "app.key.pageup": "Side op",
    "app.key.pagedown": "Side ned",
    "app.key.first": "Første",
    "app.key.last": "Sidste",
    "app.key.open": "Åbn",
    "app.key.open_tip": "Åbn den valgte",
}

EN = {
    "app.confirm.yes": "Yes",
    "app.confirm.no": "No",
    "app.confirm.yes_tip": "Answer yes",
    "app.confirm.no_tip": "Answer no",
    "app.key.up": "Up",
    "app.key.down": "Down",
    "app.key.pageup": "Page up",
    "app.key.pagedown": "Page down",
    "app.key.first": "First",
    "app.key.last": "Last",
    "app.key.open": "Open",
    "app.key.open_tip": "Open the selected one",
}
