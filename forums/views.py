"""Forum pages. Every view asks forums.permissions (one handler per request) before reading or
writing; pages a person may not see answer 404 so they do not admit what exists. Views parse
input, call one service or selector, and render."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from certifications.rights import selectors as rights_selectors
from community.errors import error_text
from forums import category_list_cache, post_stream_cache, selectors, services
from forums.forms import EmailPreferenceForm, FlagForm, MergeForm, MoveForm, PostForm, SearchForm, TopicForm
from forums.models import TOPICS_PER_PAGE, Category, Post, Topic
from forums.permissions import forum_permissions
from forums.rendering import render_markdown
from forums.tasks import user_from_unsubscribe_token
from partners import board_links


def _int(value, default: int = 1) -> int:
    try:
        return max(1, int(value))
    except (TypeError, ValueError):
        return default


def _deny(request):
    """Anonymous people are sent to sign in; signed-in people without the right get 403."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise PermissionDenied


def _visible_category(request, slug: str) -> Category:
    category = selectors.category_by_slug(slug=slug)
    if category is None or not forum_permissions(request).can_see_category(category):
        raise Http404
    return category


def _visible_topic(request, topic_id: int) -> Topic:
    topic = selectors.topic_for_page(topic_id=topic_id)
    if topic is None or not forum_permissions(request).can_see_topic(topic):
        raise Http404
    return topic


def _visible_post(request, post_id: int) -> Post:
    post = selectors.post_with_topic(post_id=post_id)
    if post is None or not forum_permissions(request).can_see_topic(post.topic):
        raise Http404
    return post


def _mention_url(*, topic: Topic | None = None, category: Category | None = None) -> str:
    target = {"topic": topic.pk} if topic is not None else {"category": category.slug}
    return f"{reverse('forums:mention_candidates')}?{urlencode(target)}"


def _moderator(request):
    if not forum_permissions(request).can_moderate():
        return _deny(request)
    return None


# --- reading --------------------------------------------------------------------------------
def index(request):
    permissions = forum_permissions(request)
    categories = list(selectors.categories_visible(permissions=permissions))
    return render(
        request,
        "forums/index.html",
        {
            "category_list": category_list_cache.get_or_render(
                categories, lambda: render_to_string("forums/includes/category_list.html", {"categories": categories})
            ),
            "recent": selectors.recent_topics(user=request.user, permissions=permissions),
            "permissions": permissions,
        },
    )


def category(request, slug):
    permissions = forum_permissions(request)
    category = _visible_category(request, slug)
    list_filter = request.GET.get("filter", "")
    if list_filter not in selectors.LIST_FILTERS:
        list_filter = ""
    topics = selectors.category_topics(
        category=category, user=request.user, permissions=permissions, filter=list_filter
    )
    page = Paginator(topics, TOPICS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "forums/category.html",
        {
            "category": category,
            "page_obj": page,
            "topics": page.object_list,
            "filter": list_filter,
            "best_answers": (
                selectors.category_best_answers(category=category, permissions=permissions)
                if category.product_id
                else []
            ),
            "following": selectors.is_following(user=request.user, category=category),
            "can_start": permissions.can_start_topic(category),
            "permissions": permissions,
        },
    )


def collaboration(request):
    permissions = forum_permissions(request)
    topics = selectors.collaboration_topics(user=request.user, permissions=permissions)
    page = Paginator(topics, TOPICS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "forums/collaboration.html",
        {"page_obj": page, "topics": page.object_list, "is_partner": permissions.is_partner},
    )


def _decorate_posts(request, *, topic: Topic, posts: list[Post], accepted: Post | None, permissions) -> None:
    """Give each post its author's trust marks and what the viewer may do with it."""
    authors = {p.author_id for p in posts} | ({accepted.author_id} if accepted else set())
    facts = selectors.author_facts(user_ids=authors)
    my_votes = selectors.votes_by(user=request.user, posts=posts)
    for post in posts:
        post.topic = topic
        post.facts = facts.get(post.author_id)
        post.readable = permissions.can_read_post_body(post)
        post.can_edit = permissions.can_edit_post(post)
        post.can_delete = permissions.can_delete_post(post)
        post.can_vote = permissions.can_vote(post)
        post.can_flag = permissions.can_flag(post)
        post.my_vote = my_votes.get(post.pk, 0)
    if accepted is not None:
        accepted.facts = facts.get(accepted.author_id)


def _signed_out_post_stream(request, *, topic: Topic, posts: list[Post], accepted: Post | None, permissions) -> str:
    """The posts as every signed-out visitor sees them, from post_stream_cache when it has them
    (they hold no form, so no CSRF token, and nothing personal)."""
    key = post_stream_cache.fragment_key(topic=topic, posts=posts, accepted=accepted)
    html = post_stream_cache.get(key)
    if html is None:
        _decorate_posts(request, topic=topic, posts=posts, accepted=accepted, permissions=permissions)
        context = {"topic": topic, "posts": posts, "accepted": accepted, "user": request.user, "read_up_to": 0}
        context |= {"permissions": permissions, "can_accept": False}
        html = render_to_string("forums/includes/post_stream.html", context)
        post_stream_cache.store(key, html)
    # Our own template rendered it, escaping user text as everywhere else.
    return mark_safe(html)


def _topic_context(request, topic: Topic, page_number: int, form=None, preview: str = "") -> dict:
    permissions = forum_permissions(request)
    page_number = min(page_number, topic.page_count)
    posts = selectors.topic_posts_page(topic=topic, page=page_number)
    accepted = selectors.accepted_answer(topic=topic) if page_number == 1 else None
    post_stream = None
    if request.user.is_authenticated:
        _decorate_posts(request, topic=topic, posts=posts, accepted=accepted, permissions=permissions)
    else:
        post_stream = _signed_out_post_stream(
            request, topic=topic, posts=posts, accepted=accepted, permissions=permissions
        )
    stored = selectors.read_up_to(user=request.user, topic=topic)
    read_up_to = stored or 0
    if posts and request.user.is_authenticated:
        services.topic_mark_read(user=request.user, topic=topic, number=posts[-1].number, known=stored)
    partners = None
    if topic.kind == Topic.Kind.COLLABORATION and topic.product_id:
        partners = list(
            rights_selectors.partners_with_delivery_right(product_id=topic.product_id, region=topic.region)[:12]
        )
    engagement = None
    if topic.engagement_id and request.user.is_authenticated:
        engagement = board_links.engagement_link(user=request.user, engagement_id=topic.engagement_id)
    return {
        "topic": topic,
        "engagement": engagement,
        "category": topic.category,
        "posts": posts,
        "accepted": accepted,
        "post_stream": post_stream,
        "page_number": page_number,
        # Long topics show the first, last and nearby pages, not a link to every one.
        "page_range": Paginator(range(topic.page_count), 1).get_elided_page_range(
            page_number, on_each_side=2, on_ends=1
        ),
        "ellipsis": Paginator.ELLIPSIS,
        "read_up_to": read_up_to,
        "has_unread": request.user.is_authenticated and read_up_to < topic.last_number,
        "following": selectors.is_following(user=request.user, topic=topic),
        "form": form or PostForm(mention_url=_mention_url(topic=topic)),
        "preview": preview,
        "can_reply": permissions.can_reply(topic),
        "can_accept": permissions.can_accept(topic),
        "permissions": permissions,
        "partners": partners,
        "directory_query": (
            urlencode({"product": topic.product.slug, "region": topic.region}) if topic.product_id else ""
        ),
    }


def topic(request, topic_id):
    topic = _visible_topic(request, topic_id)
    if topic.merged_into_id:
        return redirect(topic.merged_into)
    page_number = _int(request.GET.get("page"))
    return render(request, "forums/topic.html", _topic_context(request, topic, page_number))


def topic_unread(request, topic_id):
    """Jump to the first post this person has not read yet."""
    topic = _visible_topic(request, topic_id)
    number = selectors.topic_first_unread_number(
        topic=topic, read_up_to=selectors.read_up_to(user=request.user, topic=topic)
    )
    post = Post.objects.filter(topic=topic, number__gte=number).order_by("number").only("pk", "number").first()
    if post is None:
        return redirect(topic)
    return redirect(f"{topic.get_absolute_url()}?page={post.page}#post-{post.pk}")


def post_permalink(request, post_id):
    post = _visible_post(request, post_id)
    topic = post.topic
    if topic.merged_into_id:
        topic = topic.merged_into
    return redirect(f"{topic.get_absolute_url()}?page={post.page}#post-{post.pk}")


def post_history(request, post_id):
    post = _visible_post(request, post_id)
    if not forum_permissions(request).can_see_history():
        return _deny(request)
    return render(request, "forums/post_history.html", {"post": post, "revisions": selectors.post_revisions(post=post)})


@login_required
def mention_candidates(request):
    """The mention picker's suggestions, as JSON: `?topic=<id>` (a reply or an edit) or
    `?category=<slug>` (a new topic), and `q`, what was typed after "@". Only for someone who
    may read that topic or category, and only people who may read it too."""
    topic, category = None, None
    if "topic" in request.GET:
        try:
            topic = _visible_topic(request, int(request.GET["topic"]))
        except ValueError as error:
            raise Http404 from error
        category = topic.category
    else:
        category = _visible_category(request, request.GET.get("category", ""))
    people = selectors.mention_candidates(category=category, topic=topic, query=request.GET.get("q", ""))
    return JsonResponse({"results": people})


# --- writing --------------------------------------------------------------------------------
def topic_new(request, slug):
    category = _visible_category(request, slug)
    permissions = forum_permissions(request)
    if not permissions.can_start_topic(category):
        return _deny(request)
    form = TopicForm(
        request.POST or None,
        initial={"product": category.product_id},
        mention_url=_mention_url(category=category),
        engagements=board_links.engagements_to_link(user=request.user),
    )
    preview = ""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if "preview" in request.POST:
            preview = render_markdown(data["body"])
        else:
            try:
                topic = services.topic_create(
                    author=request.user,
                    category=category,
                    kind=data["kind"],
                    title=data["title"],
                    body=data["body"],
                    product=data.get("product"),
                    region=data.get("region") or "",
                    sought=data.get("sought") or "",
                    engagement=data.get("engagement"),
                )
            except services.ForumError as error:
                messages.error(request, error_text(error))
            else:
                if topic.awaiting_approval:
                    messages.info(request, _("Thanks! Your first posts are checked by a moderator before they appear."))
                else:
                    messages.success(request, _("Your topic is published."))
                return redirect(topic)
    return render(request, "forums/topic_form.html", {"category": category, "form": form, "preview": preview})


def topic_reply(request, topic_id):
    topic = _visible_topic(request, topic_id)
    if not forum_permissions(request).can_reply(topic):
        return _deny(request)
    if request.method != "POST":
        return redirect(topic)
    form = PostForm(request.POST, mention_url=_mention_url(topic=topic))
    preview = ""
    if form.is_valid():
        if "preview" in request.POST:
            preview = render_markdown(form.cleaned_data["body"])
        else:
            try:
                post = services.post_create(author=request.user, topic=topic, body=form.cleaned_data["body"])
            except services.ForumError as error:
                messages.error(request, error_text(error))
            else:
                if not post.is_approved:
                    messages.info(request, _("Thanks! Your first posts are checked by a moderator before they appear."))
                return redirect(f"{topic.get_absolute_url()}?page={post.page}#post-{post.pk}")
    context = _topic_context(request, topic, topic.page_count, form=form, preview=preview)
    return render(request, "forums/topic.html", context, status=200 if form.is_valid() else 400)


def post_edit(request, post_id):
    post = _visible_post(request, post_id)
    if not forum_permissions(request).can_edit_post(post):
        return _deny(request)
    form = PostForm(request.POST or None, initial={"body": post.body}, mention_url=_mention_url(topic=post.topic))
    preview = ""
    if request.method == "POST" and form.is_valid():
        if "preview" in request.POST:
            preview = render_markdown(form.cleaned_data["body"])
        else:
            try:
                services.post_edit(post=post, editor=request.user, body=form.cleaned_data["body"])
            except services.ForumError as error:
                messages.error(request, error_text(error))
            else:
                messages.success(request, _("Your changes are saved."))
                return redirect(post)
    return render(request, "forums/post_form.html", {"post": post, "form": form, "preview": preview})


@require_POST
def post_delete(request, post_id):
    post = _visible_post(request, post_id)
    if not forum_permissions(request).can_delete_post(post):
        return _deny(request)
    services.post_delete(post=post, user=request.user)
    messages.success(request, _("Your post was deleted."))
    return redirect(post)


@require_POST
def post_vote(request, post_id):
    post = _visible_post(request, post_id)
    if not forum_permissions(request).can_vote(post):
        return _deny(request)
    value = {"up": 1, "down": -1, "clear": 0}.get(request.POST.get("vote"))
    if value is None:
        messages.error(request, _("Unknown vote."))
    else:
        services.post_vote(post=post, user=request.user, value=value)
    return redirect(post)


def post_flag(request, post_id):
    post = _visible_post(request, post_id)
    if not forum_permissions(request).can_flag(post):
        return _deny(request)
    form = FlagForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.flag_create(post=post, user=request.user, **form.cleaned_data)
        except services.ForumError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, _("Thank you. A moderator will look at this post."))
        return redirect(post)
    return render(request, "forums/flag_form.html", {"post": post, "form": form})


@require_POST
def topic_accept(request, topic_id):
    topic = _visible_topic(request, topic_id)
    if not forum_permissions(request).can_accept(topic):
        return _deny(request)
    post = None
    if request.POST.get("post"):
        post = Post.objects.filter(topic=topic, pk=_int(request.POST["post"], 0)).first()
        if post is None:
            raise Http404
    try:
        services.topic_accept_answer(topic=topic, post=post, user=request.user)
    except services.ForumError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Answer accepted.") if post else _("The accepted answer was cleared."))
    return redirect(post or topic)


@require_POST
def topic_follow(request, topic_id):
    topic = _visible_topic(request, topic_id)
    if not forum_permissions(request).can_follow():
        return _deny(request)
    following = request.POST.get("follow") == "1"
    services.subscription_set(user=request.user, topic=topic, following=following)
    messages.success(request, _("You follow this topic.") if following else _("You no longer follow this topic."))
    return redirect(topic)


@require_POST
def category_follow(request, slug):
    category = _visible_category(request, slug)
    if not forum_permissions(request).can_follow():
        return _deny(request)
    following = request.POST.get("follow") == "1"
    services.subscription_set(user=request.user, category=category, following=following)
    messages.success(request, _("You follow this category.") if following else _("You no longer follow this category."))
    return redirect(category)


# --- following and e-mail -------------------------------------------------------------------
@login_required
def notifications(request):
    page = Paginator(selectors.notifications_for(user=request.user), 30).get_page(request.GET.get("page"))
    return render(request, "forums/notifications.html", {"page_obj": page, "notifications": page.object_list})


@login_required
@require_POST
def notifications_read(request):
    services.notifications_mark_read(user=request.user)
    return redirect("forums:notifications")


@login_required
def email_settings(request):
    form = EmailPreferenceForm(request.POST or None, initial={"mode": selectors.email_mode(user=request.user)})
    if request.method == "POST" and form.is_valid():
        services.email_preference_set(user=request.user, mode=form.cleaned_data["mode"])
        messages.success(request, _("Your forum e-mail setting is saved."))
        return redirect("forums:settings")
    return render(request, "forums/settings.html", {"form": form})


def unsubscribe(request, token):
    """The link in every forum e-mail: one button, no sign-in needed (the signed token is the
    proof). GET never changes anything, so link scanners cannot unsubscribe people."""
    user = user_from_unsubscribe_token(token)
    if user is None:
        return render(request, "forums/unsubscribe.html", {"invalid": True}, status=400)
    done = False
    if request.method == "POST":
        services.email_preference_set(user=user, mode="off")
        done = True
    return render(request, "forums/unsubscribe.html", {"done": done, "email": user.email})


@csrf_exempt
@require_POST
def unsubscribe_one_click(request, token):
    """RFC 8058 one-click unsubscribe, POSTed by mail clients from the List-Unsubscribe header.
    Not a form on this site: the signed token authorises it, so there is no CSRF token to check."""
    user = user_from_unsubscribe_token(token)
    if user is None:
        return HttpResponse(status=400)
    services.email_preference_set(user=user, mode="off")
    return HttpResponse(_("You are unsubscribed from forum e-mail."), content_type="text/plain; charset=utf-8")


# --- moderation -----------------------------------------------------------------------------
@require_POST
def topic_moderate(request, topic_id):
    topic = _visible_topic(request, topic_id)
    if denied := _moderator(request):
        return denied
    try:
        services.topic_moderate(topic=topic, moderator=request.user, action=request.POST.get("action", ""))
    except services.ForumError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Done."))
    return redirect(topic)


def topic_move(request, topic_id):
    topic = _visible_topic(request, topic_id)
    if denied := _moderator(request):
        return denied
    form = MoveForm(request.POST or None, initial={"category": topic.category_id})
    if request.method == "POST" and form.is_valid():
        services.topic_move(topic=topic, moderator=request.user, category=form.cleaned_data["category"])
        messages.success(request, _("The topic was moved."))
        return redirect(topic)
    return render(request, "forums/topic_move.html", {"topic": topic, "form": form})


def topic_merge(request, topic_id):
    topic = _visible_topic(request, topic_id)
    if denied := _moderator(request):
        return denied
    form = MergeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        target = Topic.objects.filter(pk=form.cleaned_data["target"]).first()
        if target is None:
            form.add_error("target", _("There is no topic with this number."))
        else:
            try:
                services.topic_merge(source=topic, target=target, moderator=request.user)
            except services.ForumError as error:
                form.add_error("target", error_text(error))
            else:
                messages.success(request, _("The topics were merged."))
                return redirect(target)
    return render(request, "forums/topic_merge.html", {"topic": topic, "form": form})


@require_POST
def post_moderate(request, post_id):
    post = _visible_post(request, post_id)
    if denied := _moderator(request):
        return denied
    action = request.POST.get("action")
    if action == "approve":
        services.post_approve(post=post, moderator=request.user)
    elif action in ("hide", "unhide"):
        services.post_set_hidden(post=post, moderator=request.user, hidden=action == "hide")
    elif action == "dismiss":
        services.flags_dismiss(post=post, moderator=request.user)
    else:
        messages.error(request, _("Unknown moderation action."))
        return redirect(post)
    messages.success(request, _("Done."))
    return redirect("forums:moderation" if request.POST.get("next") == "queue" else post)


def moderation(request):
    if denied := _moderator(request):
        return denied
    return render(request, "forums/moderation.html", selectors.moderation_queue())


def moderation_log(request):
    if denied := _moderator(request):
        return denied
    page = Paginator(selectors.moderation_log(), 50).get_page(request.GET.get("page"))
    return render(request, "forums/moderation_log.html", {"page_obj": page, "actions": page.object_list})


# --- search ---------------------------------------------------------------------------------
def forum_search(request):
    permissions = forum_permissions(request)
    form = SearchForm(request.GET or None)
    categories = list(selectors.categories_visible(permissions=permissions))
    results, query, chosen = [], "", None
    if form.is_valid():
        query = form.cleaned_data["q"]
        chosen = next((c for c in categories if c.slug == form.cleaned_data["category"]), None)
        results = selectors.search_topics(
            query=query, permissions=permissions, category=chosen, solved=form.cleaned_data["solved"]
        )
    return render(
        request,
        "forums/search.html",
        {"form": form, "query": query, "results": results, "categories": categories, "chosen": chosen},
    )


def site_search(request):
    """The site search: published pages (courses, lessons, certifications…) and forum topics."""
    from wagtail.models import Page

    query = (request.GET.get("q") or "").strip()[:200]
    pages, topics = [], []
    if query:
        ids = [p.pk for p in Page.objects.live().public().filter(depth__gt=1).search(query)[:20]]
        by_id = {p.pk: p for p in Page.objects.filter(pk__in=ids).specific()}
        pages = [by_id[pk] for pk in ids if pk in by_id]
        topics = selectors.search_topics(query=query, permissions=forum_permissions(request))[:20]
    return render(request, "forums/site_search.html", {"query": query, "pages": pages, "topics": topics})
