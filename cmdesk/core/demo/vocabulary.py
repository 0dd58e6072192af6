"""Word pools for the synthetic demo workspace: the company, people, places and things they say.

Imports no Qt. Everything here is fiction: the company is "Acme" (developer widgets), the
competitors are the usual fictional firms, and every host is under ``example.org`` or
``example.com`` (reserved for documentation), so no generated link points at a real site.
"""

from __future__ import annotations


def _words(text: str) -> tuple[str, ...]:
    """Long name pools are written as text, one space between names, to stay readable."""
    return tuple(text.split())


BRAND = "Acme"
BRAND_HANDLE = "acmehq"
BRAND_SITE = "https://acme.example.com"

# name, query expression
BRAND_QUERY = ("Acme", 'acme OR acmehq OR "acme inc"')
PRODUCTS = (
    ("Acme Widgets", '"acme widgets" OR acmewidgets OR "acme widget"'),
    ("Acme Relay", '"acme relay" OR acmerelay'),
)
COMPETITORS = (
    ("Globex", 'globex OR "globex ui"'),
    ("Initech", 'initech NOT "initech office"'),
    ("Umbrella Hooks", '"umbrella hooks" OR umbrellahooks'),
)
TOPIC = ("Webhooks", 'webhook OR webhooks OR "event delivery"')

TOPIC_PHRASES = (
    "webhooks",
    "webhook retries",
    "webhook signatures",
    "event delivery",
    "idempotent webhooks",
    "webhook fan-out",
)
WIDGETS_FEATURES = (
    "dark mode",
    "the date picker",
    "the data grid",
    "TypeScript types",
    "keyboard navigation",
    "the theming API",
    "server-side rendering",
    "the React bindings",
    "the accessibility audit",
)
RELAY_FEATURES = (
    "retry policy",
    "webhook signing",
    "rate limiting",
    "replay of failed events",
    "the audit log",
    "the CLI",
    "the dashboard",
    "SSO login",
    "the Terraform provider",
)
FEATURES = WIDGETS_FEATURES + RELAY_FEATURES
PRODUCT_FEATURES = {PRODUCTS[0][0]: WIDGETS_FEATURES, PRODUCTS[1][0]: RELAY_FEATURES}
PRODUCT_VERSIONS = {
    PRODUCTS[0][0]: ("3.8", "3.9", "4.0", "4.0.1", "4.1", "4.2"),
    PRODUCTS[1][0]: ("2.3", "2.4", "2.5", "2.5.1"),
}
PRODUCT_COMPETITORS = {
    PRODUCTS[0][0]: ("Globex", "Initech"),
    PRODUCTS[1][0]: ("Umbrella Hooks", "Initech"),
}
VERSIONS = PRODUCT_VERSIONS[PRODUCTS[0][0]] + PRODUCT_VERSIONS[PRODUCTS[1][0]]
PLATFORMS = (
    "Django",
    "Rails",
    "Next.js",
    "Vue 3",
    "SvelteKit",
    "Laravel",
    "Spring Boot",
    "Kubernetes",
    "AWS Lambda",
    "Phoenix",
    "FastAPI",
)

GIVEN_NAMES = _words(
    "Maria Jonas Aiko Lucas Fatima Noah Chloé Mateo Priya Oliver Sofia Kwame Ingrid Diego Mei "
    "Tomás Amara Felix Yara Elias Hannah Ravi Léa Omar Zofia Kenji Nadia Samuel Aurora Malik "
    "Clara Arjun Freya Hugo Leila Ethan Ana Kofi Marta Jakob Sara Daniel Emma Luca Nina Ahmed "
    "Julia Mikael Rosa Theo Ines Victor Alba Kai Lina Rafael Eva Sven Mira Pablo Camille Tariq "
    "Helena Ivan Nora Chen Lucía Finn Dara Matteo Anouk Bilal Greta Joaquín Signe Tobias Wen "
    "Esther Gabriel Ayesha Lars Paula Niko Ruth Emil Beatriz Hamza Vera Jin"
)
FAMILY_NAMES = _words(
    "Garcia Weber Tanaka Martin Haddad Smith Dubois Fernández Patel Jones Rossi Mensah Larsen "
    "Ortega Wang Novak Okafor Schmidt Costa Nakamura Kowalski Bernard Silva Müller Kim "
    "Andersson Moreau Nguyen Rahman Fischer Lopez Ivanova Brown Santos Keller Hoffmann Yilmaz "
    "Janssen Eriksen Ferrari Lambert Chowdhury Novotný Petrov Romero Sato Becker Mahmoud Horvat "
    "Lindqvist Alvarez Park Fontaine Kaur Wagner Adeyemi Marino Lund Dumont Cruz Nieminen "
    "Richter Suzuki Morales Virtanen Bakker Greco Ali Hansen Roux"
)

# name, host (under example.com), kind of organisation
ORGANISATIONS = (
    ("Northwind Traders", "northwind.example.com", "customer"),
    ("Contoso Health", "contoso-health.example.com", "customer"),
    ("Fabrikam Robotics", "fabrikam.example.com", "customer"),
    ("Tailspin Travel", "tailspin.example.com", "customer"),
    ("Wide World Logistics", "wideworld.example.com", "customer"),
    ("Lucerne Publishing", "lucerne.example.com", "customer"),
    ("Proseware Labs", "proseware.example.com", "customer"),
    ("Adventure Works", "adventureworks.example.com", "customer"),
    ("Blue Yonder Air", "blueyonder.example.com", "customer"),
    ("Coho Vineyard", "coho.example.com", "customer"),
    ("Litware", "litware.example.com", "customer"),
    ("Trey Research", "treyresearch.example.com", "customer"),
    ("Margie's Travel", "margies.example.com", "customer"),
    ("Alpine Ski House", "alpineski.example.com", "customer"),
    ("Woodgrove Bank", "woodgrove.example.com", "customer"),
    ("The Dev Dispatch", "devdispatch.example.org", "press"),
    ("Frontend Weekly", "frontendweekly.example.org", "press"),
    ("Stack Chronicle", "stackchronicle.example.org", "press"),
    ("Byte Review", "bytereview.example.org", "press"),
    ("OpenHooks Foundation", "openhooks.example.org", "partner"),
    ("CloudNest Hosting", "cloudnest.example.com", "partner"),
    ("Pixelcraft Agency", "pixelcraft.example.com", "partner"),
    ("Meetup Lisbon JS", "lisbonjs.example.org", "community"),
    ("Berlin Widgets User Group", "bwug.example.org", "community"),
    ("Paris Web Devs", "parisweb.example.org", "community"),
    ("Globex", "globex.example.com", "competitor"),
    ("Initech", "initech.example.com", "competitor"),
    ("Umbrella Hooks", "umbrellahooks.example.com", "competitor"),
)

JOB_TITLES = {
    "customer": (
        "Staff Engineer",
        "Frontend Lead",
        "CTO",
        "Platform Engineer",
        "Engineering Manager",
        "Developer Advocate",
        "Senior Developer",
        "Head of Product",
    ),
    "press": ("Editor", "Senior Reporter", "Newsletter Author", "Podcast Host"),
    "partner": ("Partnerships Lead", "Solutions Architect", "Founder", "Head of Alliances"),
    "community": ("Organiser", "Co-organiser", "Meetup Host"),
    "competitor": ("Developer Relations", "Product Manager", "Community Manager"),
    "independent": (
        "Independent Consultant",
        "Freelance Developer",
        "Indie Hacker",
        "Open-source Maintainer",
        "Technical Writer",
        "YouTuber",
    ),
}

# city, IANA time zone
PLACES = (
    ("Lisbon, Portugal", "Europe/Lisbon"),
    ("Berlin, Germany", "Europe/Berlin"),
    ("Paris, France", "Europe/Paris"),
    ("Madrid, Spain", "Europe/Madrid"),
    ("London, UK", "Europe/London"),
    ("Amsterdam, Netherlands", "Europe/Amsterdam"),
    ("Stockholm, Sweden", "Europe/Stockholm"),
    ("Warsaw, Poland", "Europe/Warsaw"),
    ("New York, USA", "America/New_York"),
    ("Austin, USA", "America/Chicago"),
    ("San Francisco, USA", "America/Los_Angeles"),
    ("Toronto, Canada", "America/Toronto"),
    ("São Paulo, Brazil", "America/Sao_Paulo"),
    ("Mexico City, Mexico", "America/Mexico_City"),
    ("Lagos, Nigeria", "Africa/Lagos"),
    ("Nairobi, Kenya", "Africa/Nairobi"),
    ("Bangalore, India", "Asia/Kolkata"),
    ("Tokyo, Japan", "Asia/Tokyo"),
    ("Singapore", "Asia/Singapore"),
    ("Sydney, Australia", "Australia/Sydney"),
)

TEAMMATES = (
    ("Sam Rivera", "sam@acme.example.com", True),
    ("Priya Natarajan", "priya@acme.example.com", False),
    ("Jonas Weber", "jonas@acme.example.com", False),
    ("Léa Martin", "lea@acme.example.com", False),
    ("Tomás Ortega", "tomas@acme.example.com", False),
)
DEPARTMENTS = (
    ("Support", "support@acme.example.com"),
    ("Sales", "sales@acme.example.com"),
    ("Product", "product@acme.example.com"),
    ("PR", "press@acme.example.com"),
    ("Legal", "legal@acme.example.com"),
)
TAGS = (
    ("bug", "#d1495b"),
    ("question", "#2e86ab"),
    ("feature-request", "#7b2cbf"),
    ("praise", "#3a9d5d"),
    ("testimonial", "#52b788"),
    ("outage", "#c1121f"),
    ("pricing", "#f4a261"),
    ("competitor", "#6c757d"),
    ("press", "#264653"),
    ("docs", "#457b9d"),
    ("follow-up", "#e9c46a"),
    ("legal", "#8d5524"),
)

# Mastodon instances, subreddits, Stack Exchange sites and GitHub repositories the sources watch.
MASTODON_INSTANCES = ("fosstodon.example.org", "hachyderm.example.org", "mastodon.example.social")
SUBREDDITS = ("webdev", "programming", "acme", "selfhosted")
BLOGS = (
    ("The Widget Weekly", "widgetweekly.example.org"),
    ("DevTools Digest", "devtoolsdigest.example.org"),
    ("Frontend Notes", "frontendnotes.example.org"),
    ("The Dev Dispatch", "devdispatch.example.org"),
    ("Hooks & Queues", "hooksandqueues.example.org"),
    ("Byte Review", "bytereview.example.org"),
)
GITHUB_REPOS = ("acme/widgets", "acme/relay", "acme/relay-cli")
