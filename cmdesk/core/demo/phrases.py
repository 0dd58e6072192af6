"""What people say in the demo workspace: mention templates by kind and tone, and team phrases.

Imports no Qt. A template is ``(kind, polarity, title, text)``; polarity is 1, 0 or -1 and sets the
stored sentiment, so generating a million mentions never runs a sentiment model. Slots filled by
the generator: ``{brand} {product} {widgets} {relay} {competitor} {feature} {Feature} {platform}
{version} {topic} {number} {hours} {item_title} {item_url}`` (``{Feature}`` starts a sentence;
``{widgets}`` and ``{relay}`` name one product where the text only fits that one). Which slots a
template uses decides which queries the mention matches, so every template names at least one of
brand, product, competitor or topic.

``kind`` drives triage: questions, bugs and complaints need a response, bugs go to Product,
pricing to Sales, press to PR, legal questions to Legal (see ``mentions.KIND_TRIAGE``).
"""

from __future__ import annotations

Template = tuple[str, int, str, str]

# fmt: off
ENGLISH: tuple[Template, ...] = (
    # praise
    ("praise", 1, "{product} just saved my week",
     "Migrated our admin dashboard to {product} {version} over the weekend. {Feature} alone "
     "removed about {number} lines of glue code. Really nice work, {brand} team."),
    ("praise", 1, "Shout-out to {brand} support",
     "Opened a ticket about {feature} at 11pm, had a real answer from a human at {brand} before "
     "breakfast. That is rare these days."),
    ("praise", 1, "{product} {version} is a great release",
     "Upgraded three services to {product} {version} today. Zero breaking changes, faster "
     "builds, and {feature} finally works the way I expected. Love it."),
    ("praise", 1, "Finally a component kit that respects accessibility",
     "Ran an accessibility audit on our {platform} app after switching to {widgets}: the "
     "keyboard navigation and focus handling just work. Thank you {brand}!"),
    ("praise", 1, "Best developer docs I have read this year",
     "The {product} docs on {feature} are excellent: short examples, real edge cases, and a "
     "migration guide that actually matches the code. More companies should do this."),
    ("praise", 1, "{product} on {platform} is a joy",
     "Set up {product} in a fresh {platform} project in under {number} minutes. Sensible "
     "defaults, great error messages. Impressed."),
    ("praise", 1, "Our on-call got quieter",
     "Since we moved our {topic} to {relay} the on-call pager is much quieter. Retries and "
     "replay of failed events are exactly what we needed."),
    ("praise", 1, "Small thing, big smile",
     "The changelog for {product} {version} credits every community contributor by name. "
     "Classy move from {brand}."),
    # questions
    ("question", 0, "How do I configure {feature} in {product}?",
     "Trying to set up {feature} with {product} {version} on {platform}. The docs show the "
     "config for the old API; what is the right way now? Any example repo?"),
    ("question", 0, "{product} with {platform}: recommended setup?",
     "We are evaluating {product} for a {platform} monolith. Do people run it behind a proxy, "
     "and how do you handle {feature}? Would love to hear real experiences."),
    ("question", 0, "Is there a way to test {topic} locally?",
     "Using {relay} for {topic}. Is there a supported way to replay events against "
     "localhost without exposing a tunnel? Asking before I hack something together."),
    ("question", 0, "Does {product} support {feature}?",
     "Quick question for the {brand} folks: does {product} support {feature} out of the box, "
     "or do I need the enterprise plan? Could not find it in the docs."),
    ("question", 0, "Migrating from {competitor} to {widgets}",
     "Has anyone migrated from {competitor} to {widgets}? How long did it take, and what broke? "
     "We have about {number} components to move."),
    ("question", 0, "{widgets}: type error after upgrading to {version}",
     "After upgrading to {widgets} {version} TypeScript complains about {feature} props. Is "
     "there a codemod, or should I pin the previous version for now?"),
    ("question", 0, "Best practice for verifying webhook signatures?",
     "How do you verify webhook signatures when the payload goes through a proxy that rewrites "
     "whitespace? {relay} docs mention a raw-body option but I cannot find it on {platform}."),
    # bugs
    ("bug", -1, "{product} {version}: {feature} broken on {platform}",
     "Since {version}, {feature} throws on {platform} when the locale is not en-US. Repro: "
     "fresh project, add the component, switch locale. Stack trace in the issue. Pretty "
     "annoying for our users in Europe."),
    ("bug", -1, "Memory leak in {product}?",
     "Our {platform} workers running {product} {version} grow by ~{number} MB an hour until "
     "they get killed. Downgrading fixes it. Anyone else seeing this?"),
    ("bug", -1, "Duplicate events from {relay}",
     "{relay} delivered the same event {number} times in a minute during a deploy, each with "
     "a different id, so our idempotency check did not catch it. That is a bug, right?"),
    ("bug", -1, "{product} CLI crashes on Windows paths",
     "The {product} CLI crashes when the project path has a space in it (Windows, {version}). "
     "Workaround: move the project. Not great."),
    ("bug", -1, "Regression: {feature} in {widgets} {version}",
     "{feature} worked in the previous release and is broken in {version}: the dropdown opens "
     "off-screen in Safari. Filed an issue with a minimal repro."),
    # complaints
    ("complaint", -1, "Disappointed with {brand} support",
     "Third week waiting for an answer from {brand} about a billing error. Support keeps "
     "closing the ticket with a canned reply. Seriously considering {competitor}."),
    ("complaint", -1, "{product} docs are out of date",
     "Half of the {product} docs about {feature} describe an API that no longer exists. Lost "
     "an afternoon on it. Please fix this, {brand}."),
    ("complaint", -1, "Why is {widgets} so slow to load?",
     "{widgets} adds {number} KB to our bundle for one date picker. Compared to {competitor} "
     "this is heavy. Is tree-shaking broken or is it just me?"),
    ("complaint", -1, "Breaking change without notice",
     "{brand} renamed a config key in a minor release of {product} and our {platform} deploy "
     "broke at 2am. Semantic versioning exists for a reason."),
    ("complaint", -1, "Frustrated with {relay} rate limits",
     "Hitting {relay} rate limits with barely {number} requests a minute. The error message "
     "does not say when to retry. Frustrating."),
    # feature requests
    ("feature_request", 0, "Feature request: {feature} for {product}",
     "Would love to see {feature} in {product}. Right now we patch it in ourselves on every "
     "upgrade. Happy to help test a beta if the {brand} team is interested."),
    ("feature_request", 0, "Any plans for a {platform} integration?",
     "Is {brand} planning an official {platform} integration for {product}? The community "
     "package works but lags behind releases."),
    ("feature_request", 1, "Idea: export settings in {product}",
     "{product} is great, one wish: let me export and import the whole configuration, "
     "including {feature}. Would make staging setups much easier."),
    # comparisons
    ("comparison", 0, "{product} vs {competitor}?",
     "Choosing between {product} and {competitor} for a new project on {platform}. {product} "
     "has nicer docs, {competitor} seems cheaper at scale. What did you pick and why?"),
    ("comparison", 1, "Switched from {competitor} to {product}, no regrets",
     "We moved from {competitor} to {product} last quarter. Fewer incidents, better {feature}, "
     "and the team actually enjoys the API. Only downside: the dashboard needs more filters."),
    ("comparison", -1, "Went back to {competitor}",
     "Tried {product} for a month. {Feature} is clever but we went back to {competitor}: "
     "their support answered faster and pricing is simpler."),
    ("comparison", 0, "Benchmark: {relay}, {competitor} and plain {topic}",
     "I benchmarked {relay} against {competitor} and hand-rolled {topic} on {platform}: "
     "latency is similar, {relay} wins on retries, {competitor} on cold starts. "
     "Write-up inside."),
    # pricing
    ("pricing", 0, "{product} pricing for small teams?",
     "Does {brand} have a discount for non-profits or teams under {number} people? The pricing "
     "page jumps straight from free to business."),
    ("pricing", -1, "{product} price increase",
     "Just got the e-mail: {product} is going up again. Hard to justify to my manager when "
     "{competitor} costs half. Any loyalty discount, {brand}?"),
    ("pricing", 0, "Invoice question for {brand}",
     "Our finance team needs invoices from {brand} with our VAT number on them. Where do I "
     "change that for {product}?"),
    # press / news
    ("news", 0, "{brand} ships {product} {version}",
     "{brand} released {product} {version} this week with {feature} and a long list of fixes. "
     "The company says the release focuses on teams running {platform} at scale."),
    ("news", 1, "{brand} raises funding to grow {product}",
     "Developer tools maker {brand} announced new funding to grow {product} and its community "
     "programme. {competitor} remains its closest rival."),
    ("news", 0, "The state of {topic} in 2026",
     "Our yearly look at {topic}: {relay}, {competitor} and open-source options compared, "
     "with interviews of teams running millions of events a day."),
    # competitor-only
    ("competitor_news", 0, "{competitor} announces a new pricing model",
     "{competitor} moves to usage-based pricing next quarter. Existing customers keep their "
     "plan for a year. Interesting move for developer tools."),
    ("competitor_news", -1, "{competitor} outage today",
     "{competitor} has been down for {hours} hours. Status page says degraded performance. "
     "Glad we do not depend on them for anything critical."),
    ("competitor_news", 1, "{competitor} launches a free tier",
     "{competitor} now has a free tier for teams of up to {number} developers. Competition is "
     "good for all of us."),
    # topic-only
    ("topic", 0, "How we made our {topic} reliable",
     "A write-up of two years running {topic} in production: queues, retries, dead letters "
     "and the monitoring that finally caught our silent failures."),
    ("topic", 0, "Ask: what do you use for {topic}?",
     "Building {topic} for a {platform} SaaS. Roll our own, or use a service? What would you "
     "do with a team of {number}?"),
    ("topic", 1, "Great talk on {topic}",
     "Just watched a great conference talk on {topic}: practical, honest about trade-offs, "
     "and no vendor pitch. Recommended."),
    # sharing our own content
    ("share", 1, "{item_title}", "Good read from the {brand} blog: {item_title} {item_url}"),
    ("share", 0, "{item_title}", "{item_title} — {item_url} (via {brand})"),
    ("share", 1, "Worth watching: {item_title}",
     "If you use {product}, this is worth your time: {item_title} {item_url}"),
    # legal
    ("legal", 0, "GDPR question about {relay}",
     "Where does {relay} store event payloads, and is there a data processing agreement? "
     "Our DPO needs this before we can sign with {brand}."),
    ("legal", -1, "Someone is using the {brand} logo",
     "Heads-up {brand}: a site is selling a fake {product} course using your logo and "
     "screenshots. Looks like a scam."),
    ("legal", 0, "{product} licence question",
     "Can we bundle {product} inside an on-premise product we sell to customers, or does the "
     "licence forbid redistribution?"),
)

FRENCH: tuple[Template, ...] = (
    ("praise", 1, "{product}, un vrai plaisir",
     "Migration de notre back-office vers {product} terminée : {feature} fonctionne "
     "parfaitement et la doc est excellente. Bravo à l'équipe {brand} !"),
    ("question", 0, "Question sur {feature} avec {product}",
     "Quelqu'un a réussi à configurer {feature} avec {product} {version} sous {platform} ? "
     "La documentation n'est pas claire sur ce point."),
    ("bug", -1, "Bug dans {product} {version}",
     "Depuis la version {version}, {feature} plante dès que la langue n'est pas l'anglais. "
     "Assez pénible pour nos utilisateurs."),
    ("complaint", -1, "Support {brand} trop lent",
     "Toujours pas de réponse du support {brand} après dix jours. On regarde sérieusement "
     "{competitor}."),
    ("comparison", 0, "{product} ou {competitor} ?",
     "Vous utilisez plutôt {product} ou {competitor} pour vos {topic} ? Retours bienvenus."),
)
GERMAN: tuple[Template, ...] = (
    ("praise", 1, "{product} ist richtig gut",
     "Wir haben {product} in unserem {platform}-Projekt eingeführt. {Feature} funktioniert "
     "super und die Doku ist hervorragend. Danke, {brand}!"),
    ("question", 0, "Frage zu {feature} in {product}",
     "Hat jemand {feature} mit {product} {version} unter {platform} eingerichtet? Ich finde "
     "kein aktuelles Beispiel."),
    ("bug", -1, "Fehler in {product} {version}",
     "Seit {version} stürzt {feature} ab, sobald die Sprache nicht Englisch ist. Sehr "
     "ärgerlich."),
    ("complaint", -1, "Enttäuscht von {brand}",
     "Preiserhöhung bei {product} ohne Vorwarnung. So verliert man Vertrauen, {brand}."),
    ("comparison", 0, "{product} oder {competitor}?",
     "Wir vergleichen gerade {product} und {competitor} für unsere {topic}. Erfahrungen?"),
)
SPANISH: tuple[Template, ...] = (
    ("praise", 1, "{product} es genial",
     "Migramos nuestro panel a {product} y {feature} funciona de maravilla. ¡Gracias al equipo "
     "de {brand}!"),
    ("question", 0, "Duda sobre {feature} en {product}",
     "¿Alguien ha configurado {feature} con {product} {version} en {platform}? La documentación "
     "no lo explica bien."),
    ("bug", -1, "Error en {product} {version}",
     "Desde la versión {version}, {feature} falla cuando el idioma no es inglés. Muy molesto."),
    ("complaint", -1, "Mala experiencia con {brand}",
     "Dos semanas esperando respuesta del soporte de {brand}. Estamos mirando {competitor}."),
)
# fmt: on

LANGUAGES = (("en", ENGLISH), ("fr", FRENCH), ("de", GERMAN), ("es", SPANISH))

# A crisis: many negative mentions in a few hours about one product.
# fmt: off
CRISIS: dict[str, tuple[Template, ...]] = {
    "outage": (
        ("outage", -1, "Is {product} down?",
         "{product} has not delivered a single event for {hours} hours and the status page is "
         "all green. Anyone else? Our customers are already complaining."),
        ("outage", -1, "{product} outage",
         "{product} down again. 503s on every request from {platform}. {brand}, please at least "
         "update the status page."),
        ("outage", -1, "Lost events during the {product} outage",
         "Looks like {product} dropped events during today's outage instead of queueing them. "
         "That defeats the point of {topic}. We need a post-mortem, {brand}."),
        ("outage", -1, "Moving off {product} after today",
         "Second {product} outage this quarter. We are evaluating {competitor} this week."),
        ("outage", -1, "{brand} status page is lying",
         "{brand} status page: all systems operational. Reality: {product} timeouts for "
         "{hours} hours. Not a good look."),
        ("outage", 0, "Workaround for the {product} outage",
         "If {product} is failing for you too: switching the region in the dashboard brought "
         "our deliveries back. Not official, use at your own risk."),
    ),
    "pricing": (
        ("pricing", -1, "{product} pricing change is a joke",
         "{brand} just doubled the price of {product} for teams over {number} seats, with "
         "thirty days' notice. Time to look at {competitor}."),
        ("pricing", -1, "{brand} drops the free tier",
         "No more free tier for {product}. Open-source projects that relied on it are on their "
         "own now. Disappointing, {brand}."),
        ("pricing", -1, "Angry about the new {product} pricing",
         "The new {product} pricing charges per event, including retries. So {brand} makes "
         "more money when their own delivery fails?"),
        ("pricing", 0, "Calculated the new {product} pricing",
         "Ran our numbers on the new {product} pricing: +{number}% for us. {competitor} would "
         "be cheaper but migrating costs time too."),
    ),
    "release": (
        ("bug", -1, "{product} {version} broke our build",
         "Upgraded to {product} {version} and our {platform} build is broken: the new "
         "{feature} module is missing from the package. Pin your versions, folks."),
        ("bug", -1, "Do not upgrade to {product} {version} yet",
         "{product} {version} ships a broken {feature}: the page freezes on open. Rolled "
         "back. {brand}, please pull the release."),
        ("complaint", -1, "Did anyone at {brand} test {version}?",
         "Third regression in {product} {version} today. Feels like nobody ran the test suite."),
        ("question", 0, "Rollback path from {product} {version}?",
         "What is the safe way to roll back from {product} {version}? Lock file only, or do "
         "the migrations need undoing?"),
    ),
}
# fmt: on

ROUTING_NOTES = {
    "Support": (
        "Customer on the Team plan; please check their delivery logs.",
        "Paying customer, frustrated; needs a personal reply today.",
        "Looks like a configuration issue, not a bug.",
    ),
    "Sales": (
        "Asks about pricing for a larger team; warm lead.",
        "Non-profit discount question.",
        "Wants an invoice change; account owner should answer.",
    ),
    "Product": (
        "Reproducible; reporter attached a minimal example.",
        "Regression in the latest release, several reports already.",
        "Feature request with a clear use case; add to the roadmap board.",
    ),
    "PR": ("Press coverage; check the facts before it spreads.", "Journalist asking for a quote."),
    "Legal": ("Possible trademark misuse.", "DPA and data residency question."),
}
NOTES = (
    "Checked with Jonas: known issue, fix planned for the next patch release.",
    "Replied publicly, continued by e-mail.",
    "This person is a long-time customer; be generous.",
    "Same reporter as last week's thread, same root cause.",
    "Asked Product for an ETA; waiting.",
    "Good candidate for a testimonial: ask for permission to quote.",
    "Linked to the status page post-mortem.",
)
RESPONSE_PHRASES = (
    "Replied with the docs link.",
    "Answered in thread.",
    "Sent a DM with next steps.",
)
