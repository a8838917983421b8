"""Demo forums: a category per product plus general, collaboration and staff-only ones, and
threads in English and Chinese by the demo people of community/demo.py. Idempotent: a category
is matched by slug and a thread by its title, so a second run adds nothing."""

from datetime import timedelta

from django.utils import timezone

from community.models import Product, User
from forums import services
from forums.models import Category, EmailPreference, Post, Topic
from partners.models import Engagement

EXTRA_CATEGORIES = [
    ("general", "General discussion", "Anything about partnering, the academy and certification.", "public", 0),
    (
        "collaboration",
        "Partner collaboration board",
        "Looking for a partner with the right delivery rights for a customer project? Ask here.",
        "partners",
        1,
    ),
    ("vendor-staff", "Vendor staff room", "Programme news and coordination between vendor staff.", "staff", 99),
]
# The categories' names and descriptions in Chinese (a product's category keeps the product's name).
CATEGORY_TRANSLATIONS = {
    "general": {"name": "综合讨论", "description": "关于合作、学院和认证的一切话题。"},
    "collaboration": {
        "name": "合作伙伴协作板",
        "description": "正在为客户项目寻找拥有相应交付权的合作伙伴？请在这里提问。",
    },
    "vendor-staff": {"name": "厂商员工室", "description": "厂商员工之间的项目动态与协调。"},
}


def _product_category_translation(product: Product) -> dict:
    return {"description": f"来自合作伙伴和 {product.vendor.name} 的 {product.name} 问答。"}


# (category slug, kind, title, [(author e-mail, days ago, body)], accepted reply index or None,
#  collaboration (product slug, region, sought) or None, votes [(reply index, voter e-mail)])
THREADS = [
    (
        "nimbus-managed-postgresql",
        "question",
        "Point-in-time recovery window after a major version upgrade?",
        [
            (
                "jonas.weber@northwind.example",
                12,
                "We upgraded a customer's cluster from PostgreSQL 15 to 16 with the in-place upgrade.\n\n"
                "Can we still restore to a point **before** the upgrade, or does the PITR window restart?\n\n"
                "```sql\nSELECT pg_current_wal_lsn();\n```",
            ),
            (
                "david.chen@summitcloud.example",
                12,
                "We saw the window restart on our side, but I never found it written down.",
            ),
            (
                "author@nimbus-cloud.example",
                11,
                "The window restarts: the upgrade takes a fresh base backup, and WAL from before it belongs "
                "to the old major version.\n\n> Take a manual snapshot right before upgrading\n\n"
                "and keep it for as long as the customer's recovery objective needs. The runbook is in "
                "lesson 4 of *Operating Nimbus Managed PostgreSQL*.",
            ),
            ("jonas.weber@northwind.example", 11, "Thanks, that matches what we saw. @david_chen FYI."),
        ],
        2,
        None,
        [(2, "david.chen@summitcloud.example"), (2, "li.na@cloudbridge.example"), (1, "jonas.weber@northwind.example")],
    ),
    (
        "nimbus-kubernetes-engine",
        "question",
        "节点池自动扩缩容时 Pod 被驱逐，如何保证业务不中断？",
        [
            (
                "li.na@cloudbridge.example",
                9,
                "客户的节点池开启了自动扩缩容，缩容时有状态服务的 Pod 被驱逐，导致短暂中断。\n\n有没有推荐的配置？",
            ),
            (
                "wang.wei@cloudbridge.example",
                9,
                "给关键服务配置 PodDisruptionBudget，并在节点池上设置缩容延迟：\n\n"
                "```yaml\napiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: orders\n"
                "spec:\n  minAvailable: 2\n  selector:\n    matchLabels:\n      app: orders\n```\n\n"
                "另外有状态服务最好放在单独的、不参与缩容的节点池里。",
            ),
            ("zhang.min@cloudbridge.example", 8, "我们也是这样做的，效果很好。"),
        ],
        1,
        None,
        [(1, "li.na@cloudbridge.example"), (1, "jonas.weber@northwind.example")],
    ),
    (
        "arclight-campus-wifi",
        "discussion",
        "Wi-Fi 7 site surveys: what tools and process are you using?",
        [
            (
                "anna.schmidt@northwind.example",
                6,
                "We are planning three university campuses on Arclight Campus Wi-Fi. How do you run "
                "predictive and on-site surveys for 6 GHz?",
            ),
            (
                "olga.ivanova@balticsystems.example",
                5,
                "Predictive first, then an AP-on-a-stick validation in the lecture halls. 6 GHz walls "
                "behave very differently from 5 GHz, so measure the dense rooms.",
            ),
            (
                "alexei.smirnov@balticsystems.example",
                4,
                "Also check client support: many university laptops are still Wi-Fi 6 only.",
            ),
        ],
        None,
        None,
        [],
    ),
    (
        "arclight-sd-wan",
        "discussion",
        "SD-WAN 零接触部署在国内分支的经验分享",
        [
            (
                "zhang.min@cloudbridge.example",
                3,
                "最近给一家制造业客户的 40 个分支做了零接触部署，分享几点经验：\n\n"
                "1. 提前把设备序列号导入云管平台\n2. 分支现场只需要接好上联口\n3. 注意运营商的 DHCP 限制",
            ),
            ("wang.wei@cloudbridge.example", 2, "很有用！请问 4G 备份链路是怎么配置的？"),
        ],
        None,
        None,
        [],
    ),
    (
        "collaboration",
        "collaboration",
        "Seeking a certified Nimbus Managed PostgreSQL partner in Europe for a bank migration",
        [
            (
                "sofia.rojas@andesdigital.example",
                2,
                "A Chilean bank we work with is moving its European subsidiary's core databases to Nimbus "
                "Managed PostgreSQL. We lead the project but need a partner **with the delivery right in "
                "Europe** for the on-site work in Frankfurt (about 40 days, Q3).",
            ),
            (
                "anna.schmidt@northwind.example",
                1,
                "Northwind Integrators in Berlin would be interested. Two of our engineers are finishing "
                "the certification this month. I will send you a message.",
            ),
        ],
        None,
        ("nimbus-managed-postgresql", "eu", "A partner with delivery rights for Nimbus Managed PostgreSQL in Europe"),
        [],
    ),
    (
        "arclight-secure-edge",
        "question",
        "Secure Edge HA pair: does a firmware upgrade fail over automatically?",
        [
            (
                "mateo.silva@andesdigital.example",
                1,
                "Planning a maintenance window for a retail customer. Will the standby take over during the "
                "upgrade of the active unit, or do we have to trigger the failover by hand?",
            ),
        ],
        None,
        None,
        [],
    ),
]


def seed(*, stdout) -> dict:
    services.moderators_group_ensure()
    for position, product in enumerate(Product.objects.select_related("vendor").order_by("vendor__name", "name")):
        Category.objects.update_or_create(
            slug=product.slug,
            defaults={
                "name": product.name,
                "product": product,
                "description": f"Questions and answers about {product.name} from partners and {product.vendor.name}.",
                "position": 10 + position,
                "visibility": Category.Visibility.PUBLIC,
                "translations": {"zh-hans": _product_category_translation(product)},
            },
        )
    for slug, name, description, visibility, position in EXTRA_CATEGORIES:
        Category.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "description": description,
                "visibility": visibility,
                "position": position,
                "translations": {"zh-hans": CATEGORY_TRANSLATIONS[slug]},
            },
        )

    people = {u.email: u for u in User.objects.filter(email__contains="@")}
    for email in people:
        EmailPreference.objects.get_or_create(user=people[email], defaults={"mode": EmailPreference.Mode.DAILY})
    now = timezone.now()
    for category_slug, kind, title, posts, accepted, collaboration, votes in THREADS:
        category = Category.objects.get(slug=category_slug)
        if Topic.objects.filter(category=category, title=title).exists():
            continue
        (author, days, body), *replies = posts
        extra = {}
        if collaboration:
            product_slug, region, sought = collaboration
            extra = {"product": Product.objects.get(slug=product_slug), "region": region, "sought": sought}
        topic = services.topic_create(
            author=people[author],
            category=category,
            kind=kind,
            title=title,
            body=body,
            hold_for_approval=False,
            at=now - timedelta(days=days, hours=3),
            **extra,
        )
        created: list[Post] = []
        for i, (email, days_ago, text) in enumerate(replies):
            created.append(
                services.post_create(
                    author=people[email],
                    topic=topic,
                    body=text,
                    hold_for_approval=False,
                    at=now - timedelta(days=days_ago, hours=2 - i),
                )
            )
        for index, voter in votes:
            services.post_vote(post=created[index - 1], user=people[voter], value=1)
        if accepted is not None:
            services.topic_accept_answer(topic=topic, post=created[accepted - 1], user=people[author])
    _engagement_thread(people)
    return {
        "logins": [],
        "notes": ["  Forums: /forums/ (moderator: moderator@partner-academy.example; demo people get a daily digest)"],
    }


ENGAGEMENT_THREAD = "Port booking system: looking for a Nimbus Managed PostgreSQL partner in the Baltics"


def _engagement_thread(people: dict) -> None:
    """A collaboration request about the marketplace demo's teamed engagement: its two partners
    see the link to the work (and the customer's name), everyone else an ordinary request."""
    engagement = Engagement.objects.filter(
        organisation__slug="baltic-systems", team__isnull=False, delivered_at__isnull=True
    ).first()
    if engagement is None or Topic.objects.filter(title=ENGAGEMENT_THREAD).exists():
        return
    services.topic_create(
        author=people["alexei.smirnov@balticsystems.example"],
        category=Category.objects.get(slug="collaboration"),
        kind=Topic.Kind.COLLABORATION,
        title=ENGAGEMENT_THREAD,
        body="We roll out the campus Wi-Fi for a port operator; its booking database moves to Nimbus Managed "
        "PostgreSQL at the same time. Our own right for it is in renewal, so we want a partner holding it to "
        "run that part. Who does, in the region?",
        product=Product.objects.get(slug="nimbus-managed-postgresql"),
        region="eu",
        sought="A partner with the Nimbus Managed PostgreSQL delivery right in Europe",
        engagement=engagement,
        hold_for_approval=False,
        at=engagement.started_at + timedelta(hours=6),
    )
