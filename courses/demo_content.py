"""The demo academies' courses, lessons and learning paths, written as a vendor's technical
writers would. Kept apart from `demo.py` so the seeding logic stays short."""


def p(html: str):
    return ("paragraph", html)


def h(text: str, level: str = "h2"):
    return ("heading", {"text": text, "level": level})


def code(language: str, source: str, filename: str = ""):
    return ("code", {"language": language, "filename": filename, "code": source.strip("\n")})


def note(kind: str, html: str):
    return ("callout", {"kind": kind, "text": html})


def check(question: str, options: list[str], correct: int, explanation: str):
    return (
        "knowledge_check",
        {
            "question": question,
            "options": [{"text": text, "correct": i == correct} for i, text in enumerate(options)],
            "explanation": explanation,
        },
    )


def table(rows: list[list[str]], caption: str = ""):
    return (
        "table",
        {"data": rows, "first_row_is_table_header": True, "first_col_is_header": False, "table_caption": caption},
    )


def video(url: str, title: str):
    return ("video", {"video": url, "title": title})


# A lesson's "figure" block refers to a diagram by key; demo.py draws it.
def figure(key: str, alt: str, caption: str):
    return ("figure", {"image": {"image": key, "alt_text": alt, "decorative": False}, "caption": caption})


# (title, [(box label, box caption)], arrow label): drawn left to right by demo.py.
DIAGRAMS = {
    "pg-zonal-ha": (
        "Diagram: zonal-ha PostgreSQL cluster",
        [("Primary", "zone a"), ("Standby", "zone b")],
        "synchronous WAL",
    ),
    "sdwan-paths": (
        "Diagram: SD-WAN branch paths",
        [("Store edge", "wan1 + lte1"), ("Hub", "data centre")],
        "best path per SLA",
    ),
}


# A lesson's "download" block refers to a lab guide by key; demo.py creates the documents.
def download(key: str, description: str = ""):
    return ("download", {"document": key, "title": "", "description": description})


LAB_GUIDES = {
    "pg-pitr-lab": (
        "Lab guide: point-in-time recovery drill",
        "pitr-lab-guide.md",
        """# Lab: point-in-time recovery drill

1. Create a table `orders` and insert 1,000 rows.
2. Note the time (UTC) with `SELECT now();`.
3. Run `DELETE FROM orders WHERE id % 2 = 0;` to simulate an accident.
4. Restore the cluster to the time you noted into a NEW cluster:
   `nimbus pg restore --source prod-eu1 --target prod-eu1-restored --time <noted time>`
5. Connect to the restored cluster and verify that `SELECT count(*) FROM orders;` returns 1000.
6. Copy the missing rows back with `\\copy` or logical replication, then delete the restored cluster.
""",
    ),
    "wifi-survey-checklist": (
        "Site survey checklist",
        "site-survey-checklist.md",
        """# Arclight site survey checklist

- Floor plans to scale, with wall materials marked (drywall, brick, concrete, glass)
- Expected client counts per area and the applications they use (voice, video, IoT)
- Mounting heights and ceiling types; power budget per switch (PoE++ for Wi-Fi 7 APs)
- Existing neighbouring networks: channel and power (passive survey)
- Target: -67 dBm primary coverage, SNR >= 25 dB, 20% cell overlap for voice
""",
    ),
}


NIMBUS_COURSES = [
    {
        "slug": "managed-postgresql-essentials",
        "title": "Nimbus Managed PostgreSQL Essentials",
        "summary": "Provision, connect to and protect a production PostgreSQL cluster on Nimbus Cloud: "
        "private networking, TLS, automated backups and point-in-time recovery.",
        "products": ["nimbus-managed-postgresql"],
        "level": "foundation",
        "language": "en",
        "duration_minutes": 150,
        "outcomes": "Provision a highly available PostgreSQL cluster with the nimbus CLI\n"
        "Connect applications over private networking with verified TLS\n"
        "Explain how automated backups and WAL archiving enable point-in-time recovery\n"
        "Restore a cluster to a given second after an accidental change",
        "overview": [
            p(
                "<p>Nimbus Managed PostgreSQL runs PostgreSQL 16 and 17 for you: patching, backups, "
                "failover and monitoring are part of the service. This course is for engineers at partner "
                "companies who deploy and operate databases for customers.</p>"
            ),
            note("tip", "<p>Bring a Nimbus sandbox project: every lesson ends with commands you can run.</p>"),
        ],
        "lessons": [
            {
                "slug": "provisioning-your-first-cluster",
                "title": "Provisioning your first cluster",
                "minutes": 40,
                "body": [
                    p(
                        "<p>A <b>cluster</b> is one primary and zero or more standbys in the same region. "
                        "You choose the <i>tier</i> (vCPU and memory), the <i>storage</i> (it grows "
                        "automatically, never shrinks) and the <i>availability</i> mode.</p>"
                    ),
                    h("Choose an availability mode"),
                    table(
                        [
                            ["Mode", "Standbys", "Failover", "Use for"],
                            ["single", "0", "Re-provision (minutes)", "Development and test"],
                            ["zonal-ha", "1, other zone", "Automatic, ~30 s", "Most production workloads"],
                            [
                                "regional-ha",
                                "2, two other zones",
                                "Automatic, ~30 s, quorum commit",
                                "Payment and core systems",
                            ],
                        ],
                        "Availability modes",
                    ),
                    figure(
                        "pg-zonal-ha",
                        "Primary in zone a streaming WAL synchronously to a standby in zone b",
                        "zonal-ha: a synchronous standby in a second zone takes over in about 30 seconds.",
                    ),
                    h("Create the cluster"),
                    code(
                        "console",
                        """
$ nimbus pg clusters create orders-prod \\
    --region eu-central-1 \\
    --version 17 \\
    --tier m2.xlarge \\
    --storage 200GiB \\
    --availability zonal-ha \\
    --network vpc-orders --no-public-ip
Creating cluster orders-prod... done (6m12s)
Primary endpoint:  orders-prod.pg.eu-central-1.nimbus.internal:5432
""",
                    ),
                    note(
                        "warning",
                        "<p>Create production clusters with <code>--no-public-ip</code>. A public endpoint "
                        "cannot be removed later without a new cluster.</p>",
                    ),
                    p(
                        "<p>Parameters such as <code>max_connections</code> and <code>work_mem</code> are set "
                        "through <b>parameter groups</b>, so several clusters can share a reviewed "
                        "configuration.</p>"
                    ),
                    code(
                        "bash",
                        """
nimbus pg parameter-groups create oltp-17 --family postgres17
nimbus pg parameter-groups set oltp-17 work_mem=16MB random_page_cost=1.1
nimbus pg clusters update orders-prod --parameter-group oltp-17
""",
                    ),
                    check(
                        "A customer needs automatic failover but has a tight budget. Which mode do you propose?",
                        ["single", "zonal-ha", "regional-ha"],
                        1,
                        "<p><b>zonal-ha</b> keeps one synchronous standby in another zone and fails over "
                        "automatically; <i>single</i> has no standby, and <i>regional-ha</i> costs a "
                        "second standby.</p>",
                    ),
                ],
            },
            {
                "slug": "connecting-securely",
                "title": "Connecting securely: private networking and TLS",
                "minutes": 45,
                "body": [
                    p(
                        "<p>Applications reach the cluster through its private endpoint inside the VPC. "
                        "Every connection is encrypted with TLS 1.3; the server certificate is signed by "
                        "the Nimbus regional CA, which you download once per region.</p>"
                    ),
                    code(
                        "console",
                        """
$ nimbus pg ca download --region eu-central-1 -o nimbus-eu-central-1.pem
$ psql "host=orders-prod.pg.eu-central-1.nimbus.internal dbname=orders user=app \\
        sslmode=verify-full sslrootcert=nimbus-eu-central-1.pem"
psql (17.2)
SSL connection (protocol: TLSv1.3, cipher: TLS_AES_256_GCM_SHA384)
orders=>
""",
                    ),
                    note(
                        "note",
                        "<p><code>sslmode=require</code> encrypts but does not check who answers. Use "
                        "<code>verify-full</code> so a spoofed host name fails the connection.</p>",
                    ),
                    h("Least-privilege roles"),
                    code(
                        "sql",
                        """
CREATE ROLE app_rw LOGIN PASSWORD :'app_password';
GRANT CONNECT ON DATABASE orders TO app_rw;
GRANT USAGE ON SCHEMA public TO app_rw;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO app_rw;
ALTER DEFAULT PRIVILEGES IN SCHEMA public
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO app_rw;
""",
                        "roles.sql",
                    ),
                    video(
                        "https://videos.nimbus-cloud.example/pg/private-networking", "Walkthrough: private endpoints"
                    ),
                    check(
                        "Which sslmode protects against a spoofed database host?",
                        ["require", "prefer", "verify-full"],
                        2,
                        "<p>Only <code>verify-full</code> checks both the certificate chain and that the "
                        "host name matches the certificate.</p>",
                    ),
                ],
            },
            {
                "slug": "backups-and-point-in-time-recovery",
                "title": "Backups and point-in-time recovery",
                "minutes": 65,
                "body": [
                    p(
                        "<p>Nimbus takes a daily base backup and archives the write-ahead log (WAL) "
                        "continuously to object storage in the same region. Together they let you restore "
                        "to any second within the retention window (7 days by default, up to 35).</p>"
                    ),
                    code(
                        "bash",
                        """
# Keep 14 days of recovery window and copy backups to a second region
nimbus pg clusters update orders-prod \\
    --backup-retention 14d --backup-copy-region eu-west-2

# Restore into a NEW cluster as it was just before the accident
nimbus pg restore --source orders-prod --target orders-restored \\
    --time "2026-03-14T09:41:00Z"
""",
                    ),
                    note(
                        "warning",
                        "<p>A restore always creates a new cluster. Point applications at it only after "
                        "you have checked the data; usually you copy the lost rows back instead.</p>",
                    ),
                    download("pg-pitr-lab", "A 30-minute drill you can run in a sandbox project."),
                    check(
                        "What makes restoring to a specific second possible?",
                        [
                            "Hourly snapshots of the disk",
                            "A base backup plus the continuously archived WAL",
                            "Logical dumps taken with pg_dump",
                        ],
                        1,
                        "<p>Recovery replays the archived WAL on top of the latest base backup up to the "
                        "requested time. Snapshots and dumps only give you fixed points.</p>",
                    ),
                ],
            },
        ],
    },
    {
        "slug": "postgresql-performance-and-ha",
        "title": "PostgreSQL Performance and High Availability on Nimbus",
        "summary": "Scale reads with replicas, plan for failover and find the queries that cost the most, "
        "using pg_stat_statements and Nimbus Insights.",
        "products": ["nimbus-managed-postgresql"],
        "level": "professional",
        "language": "en",
        "duration_minutes": 120,
        "prerequisites": ["managed-postgresql-essentials"],
        "outcomes": "Add read replicas and route read-only traffic to them\n"
        "Predict application behaviour during a failover and test it\n"
        "Find and fix expensive queries with pg_stat_statements and EXPLAIN",
        "overview": [
            p(
                "<p>For engineers who already run Nimbus PostgreSQL in production and now answer the "
                "customer's next question: <i>why is it slow, and what happens when a zone fails?</i></p>"
            )
        ],
        "lessons": [
            {
                "slug": "read-replicas-and-failover",
                "title": "Read replicas and failover",
                "minutes": 50,
                "body": [
                    p(
                        "<p>Read replicas receive the WAL asynchronously. They serve reporting and search "
                        "queries, but can lag the primary by a few hundred milliseconds under load.</p>"
                    ),
                    code(
                        "console",
                        """
$ nimbus pg replicas create orders-prod-r1 --source orders-prod --zone eu-central-1b
$ psql -h orders-prod-r1.pg.eu-central-1.nimbus.internal -c \\
    "SELECT now() - pg_last_xact_replay_timestamp() AS replication_lag;"
 replication_lag
-----------------
 00:00:00.184
""",
                    ),
                    note(
                        "tip",
                        "<p>Use the <code>target_session_attrs=read-write</code> connection parameter: after "
                        "a failover the driver reconnects to whichever host is now the primary.</p>",
                    ),
                    check(
                        "During a zonal failover, what should a well-configured application see?",
                        [
                            "No errors at all",
                            "Dropped connections for about 30 seconds, then reconnects",
                            "Data loss of the last minute of transactions",
                        ],
                        1,
                        "<p>The standby is synchronous, so committed transactions survive, but open "
                        "connections drop and must be retried.</p>",
                    ),
                ],
            },
            {
                "slug": "finding-slow-queries",
                "title": "Finding slow queries with pg_stat_statements",
                "minutes": 70,
                "body": [
                    p("<p>The extension is enabled on every Nimbus cluster. Start from total time, not mean time.</p>"),
                    code(
                        "sql",
                        """
SELECT calls,
       round(total_exec_time::numeric / 1000, 1) AS total_s,
       round(mean_exec_time::numeric, 2)         AS mean_ms,
       left(query, 80)                           AS query
FROM pg_stat_statements
ORDER BY total_exec_time DESC
LIMIT 10;
""",
                        "top-queries.sql",
                    ),
                    code(
                        "sql",
                        """
EXPLAIN (ANALYZE, BUFFERS)
SELECT * FROM orders WHERE customer_id = 4711 ORDER BY created_at DESC LIMIT 20;
-- Seq Scan on orders  (actual time=0.02..812.4 rows=20 loops=1)
CREATE INDEX CONCURRENTLY orders_customer_created ON orders (customer_id, created_at DESC);
""",
                    ),
                    check(
                        "Which column best shows where the database spends its time overall?",
                        ["mean_exec_time", "total_exec_time", "calls"],
                        1,
                        "<p>A 2 ms query called a million times costs more than a 2 s report run once: "
                        "<code>total_exec_time</code> captures both.</p>",
                    ),
                ],
            },
        ],
    },
    {
        "slug": "kubernetes-engine-fundamentals",
        "title": "Nimbus Kubernetes Engine Fundamentals",
        "summary": "Run containers on managed Kubernetes: clusters and node pools, autoscaling, GitOps "
        "deployments and the policy controls customers ask about first.",
        "products": ["nimbus-kubernetes-engine"],
        "level": "foundation",
        "language": "en",
        "duration_minutes": 180,
        "outcomes": "Create a cluster with separate system and workload node pools\n"
        "Configure the cluster autoscaler and pod resource requests\n"
        "Deploy an application from Git with the built-in GitOps controller\n"
        "Enforce baseline pod security with policy controls",
        "overview": [
            p(
                "<p>Nimbus Kubernetes Engine (NKE) manages the control plane, upgrades and node "
                "images. You decide how workloads run on it. The course follows one application, a "
                "web shop, from an empty project to a policy-checked deployment.</p>"
            )
        ],
        "lessons": [
            {
                "slug": "clusters-node-pools-autoscaling",
                "title": "Clusters, node pools and autoscaling",
                "minutes": 60,
                "body": [
                    p(
                        "<p>Keep system components (ingress, monitoring) on their own small node pool so a "
                        "noisy workload cannot starve them.</p>"
                    ),
                    code(
                        "bash",
                        """
nimbus nke clusters create shop \\
    --region eu-central-1 --version 1.31 --release-channel stable
nimbus nke node-pools create system --cluster shop \\
    --machine c2.large --nodes 3 --taint CriticalAddonsOnly=true:NoSchedule
nimbus nke node-pools create workload --cluster shop \\
    --machine m2.xlarge --min 2 --max 12 --autoscaling
""",
                    ),
                    code(
                        "yaml",
                        """
apiVersion: apps/v1
kind: Deployment
metadata:
  name: storefront
spec:
  replicas: 3
  template:
    spec:
      containers:
        - name: web
          image: registry.nimbus.example/shop/storefront:2.4.1
          resources:
            requests: {cpu: 250m, memory: 256Mi}
            limits: {memory: 512Mi}
""",
                        "storefront.yaml",
                    ),
                    note(
                        "note",
                        "<p>The autoscaler adds nodes for pods that cannot be scheduled, based on their "
                        "<b>requests</b>. Pods without requests never trigger a scale-up.</p>",
                    ),
                    check(
                        "Pods are Pending and the node pool does not grow. What is the most likely cause?",
                        [
                            "The pods have no resource requests",
                            "The pool's max size is already reached",
                            "The cluster uses the stable release channel",
                        ],
                        1,
                        "<p>With requests set, Pending pods trigger a scale-up until the pool reaches "
                        "<code>--max</code>; check <code>kubectl describe pod</code> for "
                        "<i>max node group size reached</i>.</p>",
                    ),
                ],
            },
            {
                "slug": "deploying-with-gitops",
                "title": "Deploying with GitOps",
                "minutes": 60,
                "body": [
                    p(
                        "<p>The GitOps controller watches a repository and applies what it finds. Rolling "
                        "back is a <code>git revert</code>; nobody runs <code>kubectl apply</code> against "
                        "production by hand.</p>"
                    ),
                    code(
                        "yaml",
                        """
apiVersion: gitops.nimbus.example/v1
kind: Source
metadata:
  name: shop-config
spec:
  url: https://git.example.com/shop/deploy.git
  branch: main
  path: overlays/production
  interval: 1m
  prune: true
""",
                        "source.yaml",
                    ),
                    note(
                        "tip",
                        "<p>Turn on <code>prune</code> so resources deleted in Git are deleted in the cluster.</p>",
                    ),
                    check(
                        "A bad release is live. What is the GitOps way to roll back?",
                        [
                            "kubectl rollout undo",
                            "Revert the commit in the deployment repository",
                            "Delete the namespace",
                        ],
                        1,
                        "<p>Reverting in Git keeps the repository the single source of truth; a manual "
                        "rollout undo would be overwritten at the next sync.</p>",
                    ),
                ],
            },
            {
                "slug": "policy-controls",
                "title": "Policy controls and workload security",
                "minutes": 60,
                "body": [
                    p(
                        "<p>NKE ships with policy bundles. Start in <i>audit</i> mode, fix what it reports, "
                        "then enforce.</p>"
                    ),
                    code(
                        "bash",
                        """
nimbus nke policies enable baseline-pod-security --cluster shop --mode audit
kubectl get policyreports -A
nimbus nke policies enable baseline-pod-security --cluster shop --mode enforce
""",
                    ),
                    table(
                        [
                            ["Control", "Blocks"],
                            ["privileged", "Containers running with privileged: true"],
                            ["host-namespaces", "hostNetwork, hostPID and hostIPC"],
                            ["image-registries", "Images from registries outside the allow-list"],
                        ]
                    ),
                    check(
                        "Why start a policy bundle in audit mode?",
                        [
                            "Audit mode is faster",
                            "To see what would be blocked before it breaks running workloads",
                            "Enforce mode needs a support ticket",
                        ],
                        1,
                        "<p>Audit reports violations without rejecting anything, so teams can fix their "
                        "manifests first.</p>",
                    ),
                ],
            },
        ],
    },
    {
        "slug": "object-storage-for-architects",
        "title": "Nimbus Object Storage for Architects",
        "summary": "Design durable, compliant storage: buckets and storage classes, lifecycle rules, object "
        "lock for WORM retention and cross-region replication.",
        "products": ["nimbus-object-storage"],
        "level": "associate",
        "language": "en",
        "duration_minutes": 90,
        "outcomes": "Choose storage classes and lifecycle rules for a retention policy\n"
        "Configure object lock for regulatory retention\n"
        "Set up cross-region replication and explain its guarantees",
        "overview": [p("<p>Nimbus Object Storage speaks the S3 API, so existing tools and SDKs work unchanged.</p>")],
        "lessons": [
            {
                "slug": "buckets-lifecycle-storage-classes",
                "title": "Buckets, lifecycle rules and storage classes",
                "minutes": 45,
                "body": [
                    table(
                        [
                            ["Class", "Retrieval", "Minimum storage", "Typical use"],
                            ["standard", "Immediate", "None", "Active data, web assets"],
                            ["infrequent", "Immediate, per-GB fee", "30 days", "Backups, older logs"],
                            ["archive", "Hours", "180 days", "Compliance archives"],
                        ]
                    ),
                    code(
                        "json",
                        """
{
  "Rules": [{
    "ID": "logs-retention",
    "Filter": {"Prefix": "logs/"},
    "Status": "Enabled",
    "Transitions": [{"Days": 30, "StorageClass": "INFREQUENT"}, {"Days": 180, "StorageClass": "ARCHIVE"}],
    "Expiration": {"Days": 2555}
  }]
}
""",
                        "lifecycle.json",
                    ),
                    code(
                        "bash",
                        """
aws --endpoint-url https://s3.eu-central-1.nimbus.example \\
    s3api put-bucket-lifecycle-configuration --bucket acme-logs \\
    --lifecycle-configuration file://lifecycle.json
""",
                    ),
                    check(
                        "Logs must be kept for 7 years and are almost never read after 6 months. Which plan fits?",
                        [
                            "Standard for 7 years",
                            "Standard, then infrequent, then archive, expire after 7 years",
                            "Archive from day one",
                        ],
                        1,
                        "<p>Transitions keep recent logs cheap to read and old logs cheap to keep; archive "
                        "from day one would make recent incident investigations slow.</p>",
                    ),
                ],
            },
            {
                "slug": "object-lock-and-replication",
                "title": "Object lock and cross-region replication",
                "minutes": 45,
                "body": [
                    p(
                        "<p><b>Object lock</b> in <i>compliance</i> mode makes an object version "
                        "undeletable until its retention date, even for the account owner. It must be "
                        "enabled when the bucket is created.</p>"
                    ),
                    code(
                        "bash",
                        """
aws --endpoint-url https://s3.eu-central-1.nimbus.example s3api create-bucket \\
    --bucket acme-ledger --object-lock-enabled-for-bucket
aws --endpoint-url https://s3.eu-central-1.nimbus.example s3api put-object-lock-configuration \\
    --bucket acme-ledger \\
    --object-lock-configuration \\
    '{"ObjectLockEnabled":"Enabled","Rule":{"DefaultRetention":{"Mode":"COMPLIANCE","Years":10}}}'
""",
                    ),
                    note(
                        "warning",
                        "<p>Compliance-mode retention cannot be shortened. Test with governance mode first.</p>",
                    ),
                    check(
                        "Can an administrator delete a compliance-locked object before its retention date?",
                        ["Yes, with the root account", "Yes, by opening a support case", "No"],
                        2,
                        "<p>That is the point of compliance mode: nobody can delete or overwrite the "
                        "version until the date passes.</p>",
                    ),
                ],
            },
        ],
    },
    {
        # The Chinese translation of the course above (same translation key, zh-hans locale, same
        # path under /zh-hans/). This slug is only the demo's name for it, and its slug as an older
        # demo created it: a separate course, which the seed turns into the translation.
        "slug": "managed-postgresql-essentials-zh",
        "translation_of": "managed-postgresql-essentials",
        "title": "Nimbus 托管 PostgreSQL 入门",
        "summary": "面向合作伙伴工程师的中文课程：创建高可用 PostgreSQL 实例、"
        "通过私有网络和 TLS 安全连接，以及配置备份与时间点恢复。",
        "products": ["nimbus-managed-postgresql"],
        "level": "foundation",
        "language": "zh-hans",
        "duration_minutes": 90,
        "outcomes": "使用 nimbus 命令行创建高可用实例\n"
        "使用 verify-full 模式安全连接数据库\n"
        "说明基础备份与 WAL 归档如何实现时间点恢复",
        "overview": [
            p(
                "<p>本课程与英文版《Nimbus Managed PostgreSQL Essentials》内容对应，示例基于上海和北京区域，"
                "适合为金融和制造业客户部署数据库的工程师。</p>"
            )
        ],
        "lessons": [
            {
                "slug": "create-and-connect",
                "title": "创建实例与安全连接",
                "minutes": 45,
                "body": [
                    p("<p>生产环境请选择 <b>zonal-ha</b> 可用性模式，并且不要分配公网地址。</p>"),
                    code(
                        "console",
                        """
$ nimbus pg clusters create orders-prod --region cn-shanghai-1 --version 17 \\
    --tier m2.xlarge --availability zonal-ha --network vpc-orders --no-public-ip
$ psql "host=orders-prod.pg.cn-shanghai-1.nimbus.internal dbname=orders user=app \\
        sslmode=verify-full sslrootcert=nimbus-cn-shanghai-1.pem"
""",
                    ),
                    note("warning", "<p>公网地址创建后无法移除，只能重新创建实例。</p>"),
                    check(
                        "哪种 sslmode 能防止连接到伪造的数据库主机？",
                        ["require", "prefer", "verify-full"],
                        2,
                        "<p>只有 <code>verify-full</code> 同时校验证书链和主机名。</p>",
                    ),
                ],
            },
            {
                "slug": "backup-and-pitr",
                "title": "备份与时间点恢复",
                "minutes": 45,
                "body": [
                    p("<p>Nimbus 每天进行一次基础备份，并持续归档 WAL 日志，因此可以恢复到保留期内的任意一秒。</p>"),
                    code(
                        "bash",
                        """
nimbus pg clusters update orders-prod --backup-retention 14d
nimbus pg restore --source orders-prod --target orders-restored --time "2026-03-14T09:41:00+08:00"
""",
                    ),
                    note("tip", "<p>恢复总是创建一个新实例。请先核对数据，再把丢失的记录复制回生产库。</p>"),
                    check(
                        "时间点恢复依赖什么？",
                        ["每小时的磁盘快照", "基础备份加上持续归档的 WAL", "pg_dump 逻辑备份"],
                        1,
                        "<p>恢复时在最近的基础备份之上重放 WAL，直到指定时间点。</p>",
                    ),
                ],
            },
        ],
    },
]


ARCLIGHT_COURSES = [
    {
        "slug": "campus-wifi-design-fundamentals",
        "title": "Arclight Campus Wi-Fi Design Fundamentals",
        "summary": "Design Wi-Fi 7 networks that work on day one: radio basics, site surveys, AP placement "
        "and onboarding access points to Arclight Cloud.",
        "products": ["arclight-campus-wifi"],
        "level": "foundation",
        "language": "en",
        "duration_minutes": 160,
        "outcomes": "Choose bands and channel widths for dense and sparse areas\n"
        "Plan a predictive and on-site survey and read its heatmaps\n"
        "Claim and provision access points with zero-touch onboarding",
        "overview": [
            p(
                "<p>Most Wi-Fi complaints are design problems: too few APs where people gather, too "
                "much power where they do not. This course gives partner engineers a repeatable method.</p>"
            )
        ],
        "lessons": [
            {
                "slug": "rf-basics-wifi-7",
                "title": "RF basics for Wi-Fi 7: bands, channels and widths",
                "minutes": 50,
                "body": [
                    table(
                        [
                            ["Band", "Non-overlapping 20 MHz channels", "Range", "Best for"],
                            ["2.4 GHz", "3", "Longest", "IoT and legacy clients"],
                            ["5 GHz", "up to 25", "Medium", "General client access"],
                            ["6 GHz", "up to 59", "Shortest", "High-density, Wi-Fi 6E/7 clients"],
                        ],
                        "Bands at a glance",
                    ),
                    p(
                        "<p>Wide channels (160 or 320 MHz) raise peak speed but reduce how many cells can "
                        "reuse the spectrum. In lecture halls, <b>40 MHz on 5 GHz</b> and <b>80 MHz on "
                        "6 GHz</b> usually deliver more total capacity.</p>"
                    ),
                    note(
                        "tip", "<p>Let Arclight's radio management pick channels, but cap the width per RF profile.</p>"
                    ),
                    check(
                        "A 400-seat lecture hall has slow Wi-Fi. Which change most likely helps?",
                        [
                            "Use 320 MHz channels",
                            "Narrower channels and more APs at lower power",
                            "Raise AP transmit power",
                        ],
                        1,
                        "<p>Capacity comes from channel reuse: more, smaller cells on narrower channels. "
                        "Raising power enlarges cells and increases co-channel interference.</p>",
                    ),
                ],
            },
            {
                "slug": "site-surveys-and-ap-placement",
                "title": "Site surveys and AP placement",
                "minutes": 55,
                "body": [
                    p(
                        "<p>Start with a predictive design from floor plans, then validate on site with a "
                        "passive survey. Target <b>-67 dBm</b> primary coverage for voice and video.</p>"
                    ),
                    download("wifi-survey-checklist", "Print it for the walk-through with the customer."),
                    note(
                        "warning",
                        "<p>Glass and concrete walls can attenuate 6 GHz by more than 15 dB. Mark wall "
                        "materials on the floor plan before the predictive design.</p>",
                    ),
                    check(
                        "What should you do before the on-site validation survey?",
                        [
                            "Order the APs",
                            "Mark wall materials and client density on the floor plans",
                            "Disable 2.4 GHz",
                        ],
                        1,
                        "<p>The predictive model is only as good as its inputs: materials and expected "
                        "clients decide AP count and placement.</p>",
                    ),
                ],
            },
            {
                "slug": "onboarding-aps",
                "title": "Onboarding APs to Arclight Cloud",
                "minutes": 55,
                "body": [
                    p(
                        "<p>APs call home over HTTPS on first boot and receive their site configuration "
                        "automatically.</p>"
                    ),
                    code(
                        "console",
                        """
$ arclight devices claim --org acme-university --order SO-2026-118834
Claimed 48 devices (AP-7X) to organisation acme-university
$ arclight devices assign --site main-campus --tag building-c --serials-file building-c.txt
$ arclight devices status --site main-campus --tag building-c
SERIAL        MODEL  STATUS   FIRMWARE   UPTIME
A7X-2Q91-KT3  AP-7X  online   8.4.2      0d 00:14
""",
                    ),
                    note(
                        "note",
                        "<p>The switch port must allow outbound TCP 443 to <code>*.cloud.arclight.example</code>.</p>",
                    ),
                    check(
                        "An AP stays 'offline' after boot. What do you check first?",
                        [
                            "The SSID name",
                            "Outbound HTTPS from the AP's VLAN to Arclight Cloud",
                            "The 6 GHz channel plan",
                        ],
                        1,
                        "<p>Without reaching the cloud the AP never receives its configuration, so "
                        "firewall rules and DNS on the management VLAN come first.</p>",
                    ),
                ],
            },
        ],
    },
    {
        "slug": "sd-wan-deployment",
        "title": "Arclight SD-WAN Deployment",
        "summary": "Roll out SD-WAN to branch offices with zero-touch provisioning and steer applications "
        "over the best path with application-aware policies.",
        "products": ["arclight-sd-wan"],
        "level": "associate",
        "language": "en",
        "duration_minutes": 120,
        "outcomes": "Stage and ship branch edges for zero-touch provisioning\n"
        "Write application-aware routing policies with SLA classes\n"
        "Verify tunnel health and path selection from the CLI",
        "overview": [p("<p>Based on a retail customer with 120 stores moving from MPLS to broadband plus LTE.</p>")],
        "lessons": [
            {
                "slug": "zero-touch-provisioning",
                "title": "Zero-touch provisioning of branch edges",
                "minutes": 55,
                "body": [
                    figure(
                        "sdwan-paths",
                        "A store edge connected to the hub over broadband and LTE",
                        "Each store edge keeps tunnels to the hub over every WAN link and picks one per application.",
                    ),
                    p(
                        "<p>Edges are bound to a site template before they ship; the store just plugs in WAN "
                        "and LAN.</p>"
                    ),
                    code(
                        "yaml",
                        """
site_template: retail-store-v3
wan:
  - port: wan1
    transport: broadband
    dhcp: true
  - port: lte1
    transport: lte
    backup_only: true
lan:
  vlan: 10
  subnet: "10.{{store_id}}.10.0/24"
""",
                        "retail-store-v3.yaml",
                    ),
                    check(
                        "What does the store need to do for zero-touch provisioning?",
                        ["Enter the serial number in a portal", "Plug in power, WAN and LAN", "Call the partner's NOC"],
                        1,
                        "<p>The edge finds the orchestrator over any WAN link and downloads its site template.</p>",
                    ),
                ],
            },
            {
                "slug": "application-aware-routing",
                "title": "Application-aware routing policies",
                "minutes": 65,
                "body": [
                    table(
                        [
                            ["SLA class", "Latency", "Jitter", "Loss", "Applications"],
                            ["realtime", "< 150 ms", "< 30 ms", "< 1%", "Voice, video calls"],
                            ["business", "< 250 ms", "—", "< 2%", "POS, ERP"],
                            ["bulk", "—", "—", "< 5%", "Backups, updates"],
                        ]
                    ),
                    code(
                        "console",
                        """
edge-store-042# show sdwan path-selection application teams
APPLICATION  SLA-CLASS  PREFERRED   ACTIVE      REASON
teams        realtime   broadband   lte1        broadband loss 3.4% > 1%
""",
                    ),
                    note(
                        "tip",
                        "<p>Keep the LTE link out of the <i>bulk</i> class so backups never use metered data.</p>",
                    ),
                    check(
                        "Voice moved to LTE. According to the output, why?",
                        [
                            "LTE is always preferred",
                            "Broadband packet loss exceeded the realtime SLA",
                            "The broadband link was down",
                        ],
                        1,
                        "<p>The broadband link was up but its 3.4% loss broke the realtime SLA of less than 1%.</p>",
                    ),
                ],
            },
        ],
    },
    {
        "slug": "secure-edge-essentials",
        "title": "Arclight Secure Edge Essentials",
        "summary": "Protect branches with the Secure Edge firewall and web gateway: zones, policy order, "
        "TLS inspection and the logs that prove it works.",
        "products": ["arclight-secure-edge"],
        "level": "associate",
        "language": "en",
        "duration_minutes": 100,
        "outcomes": "Design zone-based firewall policies and predict rule matching\n"
        "Enable TLS inspection with sensible exemptions\n"
        "Read security logs to troubleshoot a blocked application",
        "overview": [p("<p>Secure Edge runs on the same branch hardware as Arclight SD-WAN, under one policy.</p>")],
        "lessons": [
            {
                "slug": "firewall-policy-model",
                "title": "Firewall policy model and zones",
                "minutes": 50,
                "body": [
                    p("<p>Rules match top-down; the first match wins. Put specific rules above general ones.</p>"),
                    code(
                        "ini",
                        """
[rule 10] from=guest to=internet app=web action=allow log=yes
[rule 20] from=guest to=corporate action=deny log=yes
[rule 30] from=corporate to=internet app=any action=allow ips=balanced
[rule 999] from=any to=any action=deny log=yes
""",
                        "branch-policy.conf",
                    ),
                    check(
                        "A guest device tries to reach a corporate printer. Which rule matches?",
                        ["rule 10", "rule 20", "rule 999"],
                        1,
                        "<p>Rule 10 only covers traffic to the internet, so rule 20 is the first match and "
                        "denies it.</p>",
                    ),
                ],
            },
            {
                "slug": "secure-web-gateway-tls-inspection",
                "title": "Secure web gateway and TLS inspection",
                "minutes": 50,
                "body": [
                    p(
                        "<p>TLS inspection decrypts traffic to find threats hidden in HTTPS. Clients must "
                        "trust the Secure Edge CA, distributed through the customer's device management.</p>"
                    ),
                    note(
                        "warning",
                        "<p>Exempt banking, health and certificate-pinned applications from inspection; "
                        "check local privacy law with the customer before enabling it.</p>",
                    ),
                    code(
                        "bash",
                        """
arclight policy tls-inspection enable --site all-stores --ca corp-inspection-ca
arclight policy tls-inspection exempt --category finance,health --apps teams,zoom
""",
                    ),
                    check(
                        "Users report a pinned mobile app stopped working after TLS inspection was enabled. Fix?",
                        ["Disable the firewall", "Exempt the app from inspection", "Install a new AP firmware"],
                        1,
                        "<p>Pinned apps reject any certificate but their own; exempting them is the standard fix.</p>",
                    ),
                ],
            },
        ],
    },
]

LEARNING_PATHS = {
    "nimbus-cloud": [
        {
            "slug": "data-platform-specialist",
            "title": "Nimbus Data Platform Specialist",
            "summary": "From your first managed PostgreSQL cluster to tuning it under load and designing the "
            "storage behind it. Prepares for the Nimbus Certified Database Engineer exam.",
            "level": "professional",
            "goal_label": "Nimbus Certified Database Engineer",
            "courses": [
                "managed-postgresql-essentials",
                "postgresql-performance-and-ha",
                "object-storage-for-architects",
            ],
        },
        {
            "slug": "cloud-native-foundations",
            "title": "Cloud-Native Foundations",
            "summary": "Containers on Nimbus Kubernetes Engine and the storage they need. Prepares for the "
            "Nimbus Certified Kubernetes Engineer exam.",
            "level": "foundation",
            "goal_label": "Nimbus Certified Kubernetes Engineer",
            "courses": ["kubernetes-engine-fundamentals", "object-storage-for-architects"],
        },
    ],
    "arclight-networks": [
        {
            "slug": "branch-network-professional",
            "title": "Arclight Branch Network Professional",
            "summary": "Wi-Fi, SD-WAN and Secure Edge for the complete branch. Starts with the Wi-Fi design "
            "course that prepares for the Arclight Certified Wireless Associate exam.",
            "level": "professional",
            "goal_label": "Arclight Certified Wireless Associate",
            "courses": ["campus-wifi-design-fundamentals", "sd-wan-deployment", "secure-edge-essentials"],
        }
    ],
}

COURSES = {"nimbus-cloud": NIMBUS_COURSES, "arclight-networks": ARCLIGHT_COURSES}

# The catalogue's and the academies' own text in the languages their courses are translated into.
CATALOGUE_TRANSLATIONS = {
    "zh-hans": {
        "title": "课程",
        "intro": "由厂商亲自编写的产品培训：动手课程、实验和知识检查，帮助你为认证做好准备。",
    }
}
ACADEMY_TRANSLATIONS = {
    "nimbus-cloud": {
        "zh-hans": {
            "title": "Nimbus Cloud 学院",
            "intro": "面向受监管行业的公有云：托管数据库、Kubernetes 和对象存储，由认证合作伙伴销售和运维。",
        }
    }
}

# Demo engineers' progress: (e-mail, course slug, lessons completed: int or "all").
PROGRESS = [
    ("jonas.weber@northwind.example", "managed-postgresql-essentials", "all"),
    ("jonas.weber@northwind.example", "postgresql-performance-and-ha", 1),
    ("jonas.weber@northwind.example", "kubernetes-engine-fundamentals", 0),
    ("lea.fischer@northwind.example", "campus-wifi-design-fundamentals", 2),
    ("david.chen@summitcloud.example", "kubernetes-engine-fundamentals", "all"),
    ("david.chen@summitcloud.example", "object-storage-for-architects", 1),
    ("li.na@cloudbridge.example", "managed-postgresql-essentials-zh", 1),
    ("zhang.min@cloudbridge.example", "managed-postgresql-essentials-zh", "all"),
    ("olga.ivanova@balticsystems.example", "campus-wifi-design-fundamentals", "all"),
    ("olga.ivanova@balticsystems.example", "sd-wan-deployment", 1),
    ("mateo.silva@andesdigital.example", "object-storage-for-architects", 0),
]
