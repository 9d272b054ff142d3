"""GitHub and Google providers whose endpoints follow settings at request time.

allauth's stock GitHub and Google adapters read their URLs once, when their module is imported,
so `GITHUB_URL` and the Google endpoint settings could not be changed without a restart (and
tests could not point them at a local fake server). These subclasses keep allauth's behaviour
and read the same `SOCIALACCOUNT_PROVIDERS` keys on every request. They are swapped in with
allauth's documented `"provider_class"` provider setting; allauth then builds the login and
callback URLs from this package (`<package>.urls` -> `<package>.views`).
"""
