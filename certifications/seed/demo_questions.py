# ruff: noqa: E501  (question texts read best unwrapped)
"""Demo question banks in Moodle GIFT, loaded through the same importer authors use."""

MANAGED_POSTGRESQL = r"""
$CATEGORY: operations

::pg-01:: A customer needs to restore a Nimbus Managed PostgreSQL cluster to the state it was in 40 minutes ago. Which feature do you use? {
=Point-in-time recovery from continuous WAL archiving
~Restoring last night's snapshot and replaying application logs
~Promoting a read replica
~Running pg_dump on the primary
####Point-in-time recovery replays archived WAL on top of the latest base backup up to the chosen timestamp.}

::pg-02:: What is the default retention period for automated backups on a new cluster? {
~1 day
=7 days
~30 days
~Backups are disabled by default
####New clusters keep automated backups for 7 days; it can be raised to 35.}

::pg-03:: A read replica always has the same data as the primary at the moment a query runs on it. {F ####Replication is asynchronous; replicas can lag behind the primary.}

::pg-04:: Which of these change a cluster without a restart? Choose all that apply. {
~%50%Raising the backup retention period
~%50%Adding a read replica
~%-50%Changing shared_buffers
~%-50%Upgrading the major version
####Static parameters such as shared_buffers and major upgrades need a restart; backup settings and replicas do not.}

::pg-05:: Where do you look first when a customer reports that queries became slow after a deploy? {
=Query Insights, sorted by total time, for the new statement fingerprints
~The cluster's CPU graph for the last 30 days
~The replication lag metric
~The maintenance window settings
####Query Insights groups statements by fingerprint, so a new slow query shows up at the top.}

::pg-06:: During the maintenance window, a high-availability cluster applies minor upgrades by: {
=Upgrading the standby, failing over to it, then upgrading the old primary
~Stopping the primary for the duration of the upgrade
~Upgrading both nodes at the same time
~Creating a new cluster and changing the DNS name
####A rolling upgrade keeps the downtime to one failover, usually under 30 seconds.}

::pg-07:: A storage autoscaling event can reduce the size of the data volume after large deletes. {F ####Volumes only grow; to shrink, restore into a smaller cluster.}

::pg-08:: Which metrics signal that a cluster needs a larger instance class? Choose all that apply. {
~%33.33333%Sustained CPU above 80% during business hours
~%33.33333%A buffer cache hit ratio falling well below 99%
~%33.33333%Growing numbers of connections waiting on I/O
~%-100%Transaction ID age above 100 million
####Transaction ID age is a vacuum concern, not a sizing one.}

::pg-09:: What does the "cross-region backup copy" option protect against? {
=Loss of the whole primary region
~Accidental DROP TABLE by a user
~Replication lag on read replicas
~Slow queries on the primary
####Copies in another region let you restore when the primary region is unavailable.}

::pg-10:: A failover of an HA cluster keeps the same connection endpoint. {T ####The endpoint's DNS record follows the new primary; applications reconnect to the same name.}

::pg-11:: A customer's autovacuum cannot keep up with a table that receives 50 million updates a day. What do you tune first? {
=Lower autovacuum_vacuum_scale_factor for that table
~Raise max_connections
~Disable autovacuum and vacuum nightly
~Increase the backup retention period
####Per-table scale factors make autovacuum start earlier on large, busy tables.}

$CATEGORY: security

::pg-12:: How should an application running in the customer's VPC reach the cluster? {
=Through the cluster's private endpoint in the same VPC
~Through the public endpoint with an allow-list of 0.0.0.0/0
~Through an SSH tunnel to the database host
~Through the console's query editor
####Private endpoints keep traffic off the internet; the public endpoint is off by default.}

::pg-13:: Which TLS setting should production clusters enforce? {
~sslmode\=prefer
~sslmode\=allow
=sslmode\=verify-full with the Nimbus CA bundle
~sslmode\=disable inside the VPC
####verify-full checks both the certificate chain and the host name.}

::pg-14:: Customer-managed encryption keys can be added to an existing unencrypted cluster in place. {F ####Encryption is chosen at creation; migrate by restoring a backup into a new encrypted cluster.}

::pg-15:: Which practices follow least privilege for application access? Choose all that apply. {
~%50%One database role per application with only the grants it needs
~%50%IAM database authentication with short-lived tokens
~%-50%Sharing the administrator role across services
~%-50%Granting SUPERUSER to the migration tool
####Separate roles and short-lived credentials limit the blast radius of a leaked secret.}

::pg-16:: Where are audit logs of DDL statements sent when pgaudit is enabled? {
=To the cluster's log stream in Nimbus Logging
~To a table in the postgres database
~Only to the local disk of the primary
~To the customer's e-mail
####Audit entries join the regular log stream and can be exported to a SIEM.}

::pg-17:: Rotating the administrator password requires a restart of the cluster. {F ####Password changes apply to new sessions at once.}

::pg-18:: A customer must prove that only EU staff can administer their database. Which control answers that? {
=Console access policies bound to an EU-only identity group, with audit logging
~Placing the cluster in an EU region
~Turning on storage encryption
~Using a read replica for reporting
####Region choice controls where data lives, not who administers it.}

::pg-19:: Which connections does the cluster's firewall evaluate? {
~Only connections from the internet
=Every new connection to the public and private endpoints
~Only connections that use IAM authentication
~Only replication connections
####Network rules apply to every new connection, whatever the endpoint.}

::pg-20:: Which of these leave the cluster's data readable by Nimbus operators? Choose all that apply. {
~%100%None: data at rest is encrypted and operator access is logged and approved by the customer
~%-50%Using the default service-managed key
~%-50%Enabling read replicas
####Operator access requires customer approval through access transparency, whatever the key type.}

::pg-21:: Connection pooling through the built-in PgBouncer endpoint works with session-level prepared statements in transaction mode. {F ####In transaction mode a session's prepared statements may land on another server connection.}

::pg-22:: What is the recommended way to give a BI tool read access without loading the primary? {
=Point it at a read replica with a read-only role
~Give it the administrator role on the primary
~Export nightly CSV files to object storage
~Raise max_connections on the primary
####Replicas absorb reporting load; a read-only role limits what the tool can do.}
"""

KUBERNETES_ENGINE = r"""
$CATEGORY: platform

::k8s-01:: What does the cluster autoscaler do when pods are Pending for lack of CPU? {
=Adds nodes to a node pool whose machine type fits the pods
~Evicts lower-priority pods on other nodes
~Raises the pods' CPU limits
~Moves pods to another cluster
####The cluster autoscaler adds nodes when pending pods would fit on a new node of the pool.}

::k8s-02:: Which object makes the Horizontal Pod Autoscaler scale on requests per second? {
=An HPA with an external or custom metric from Nimbus Monitoring
~A PodDisruptionBudget
~A ResourceQuota in the namespace
~A node pool with autoscaling enabled
####CPU and memory are built in; request rates come through custom or external metrics.}

::k8s-03:: Control plane upgrades on Nimbus Kubernetes Engine are applied by the customer's own nodes. {F ####The control plane is managed; Nimbus upgrades it during the maintenance window.}

::k8s-04:: Which settings keep a Deployment available while a node pool is upgraded? Choose all that apply. {
~%33.33333%A PodDisruptionBudget with minAvailable
~%33.33333%Several replicas spread across zones
~%33.33333%Readiness probes
~%-100%hostNetwork\: true
####Surge upgrades drain nodes; budgets, spread and readiness keep traffic on healthy pods.}

::k8s-05:: A workload needs GPUs. What is the recommended setup? {
=A separate GPU node pool with a taint, and tolerations on the GPU workloads
~GPU drivers installed by a DaemonSet on every node pool
~A larger general-purpose machine type
~A privileged container that loads the driver at start
####Tainting the GPU pool keeps ordinary pods off expensive nodes.}

::k8s-06:: Spot node pools are suitable for which workloads? {
=Stateless, fault-tolerant batch and web workloads with several replicas
~The only replica of a stateful database
~The cluster's ingress controller with one replica
~Workloads that cannot tolerate restarts
####Spot nodes can be reclaimed with 30 seconds' notice.}

::k8s-07:: Regional clusters run control plane replicas in three zones. {T ####Regional clusters keep the API available when one zone fails.}

::k8s-08:: Which kubectl command shows why a pod is Pending? {
=[plain]kubectl describe pod <name>
~[plain]kubectl logs <name>
~[plain]kubectl top pod <name>
~[plain]kubectl rollout status <name>
####The Events section of describe shows scheduling failures.}

::k8s-09:: What does "surge upgrade" with maxSurge=1, maxUnavailable=0 mean for a node pool? {
=One extra node is created before an old one is drained
~One node is drained before a new one is created
~All nodes are replaced at once
~Nodes are upgraded in place without draining
####Surge first keeps capacity while nodes are replaced.}

::k8s-10:: Which storage class fits a database that must survive the loss of one zone? {
=Regional persistent disks replicated across two zones
~Local SSDs
~An emptyDir volume
~Zonal standard disks
####Regional disks replicate synchronously across two zones.}

$CATEGORY: delivery

::k8s-11:: In the built-in GitOps add-on, what happens when someone changes a Deployment with kubectl? {
=The controller reverts it to the state in Git at the next sync
~Git is updated with the change
~The change is kept until the next release
~The cluster refuses the change
####Git is the source of truth; drift is corrected.}

::k8s-12:: Which policy controls block images that are not signed by the customer's CI? {
=Binary authorization with an attestor for the CI key
~NetworkPolicies
~PodDisruptionBudgets
~ResourceQuotas
####Binary authorization admits only images with a valid attestation.}

::k8s-13:: NetworkPolicies take effect without a network plugin that enforces them. {F ####Nimbus Kubernetes Engine enables enforcement with Dataplane V2; policies need an enforcing plugin.}

::k8s-14:: Which practices keep secrets out of Git in a GitOps setup? Choose all that apply. {
~%50%Referencing secrets in Nimbus Secret Manager through the CSI driver
~%50%Sealed or encrypted secrets decrypted only in the cluster
~%-50%Base64-encoding Secret manifests
~%-50%Putting secrets in ConfigMaps
####Base64 is an encoding, not encryption.}

::k8s-15:: A team wants each service to reach only the services it needs. What do you deploy? {
=Default-deny NetworkPolicies per namespace, then allow rules per service
~One LoadBalancer Service per workload
~A separate cluster per service
~PodSecurity admission at the privileged level
####Default deny plus explicit allows gives least-privilege traffic.}

::k8s-16:: Which Pod Security Standard should application namespaces use by default? {
~privileged
~baseline
=restricted
~none
####restricted forbids root, host access and privilege escalation.}

::k8s-17:: Workload Identity lets pods call Nimbus APIs without storing service account keys. {T ####Pods exchange their Kubernetes service account token for short-lived Nimbus credentials.}

::k8s-18:: A canary release sends 5% of traffic to a new version. Which object does that with the managed ingress? {
=An HTTPRoute with weighted backendRefs
~A Deployment with 5% of the replicas
~A PodDisruptionBudget
~A Job
####Gateway API routes split traffic by weight, independently of replica counts.}

::k8s-19:: Which signals should gate an automatic rollback? Choose all that apply. {
~%50%Error rate of the new version above the service level objective
~%50%Latency percentiles of the new version above threshold
~%-100%The number of nodes in the cluster
####Rollback decisions compare the new version's golden signals with the old one's.}

::k8s-20:: Where do you find the audit log entry of who deleted a namespace? {
=Cluster audit logs in Nimbus Logging, filtered by the delete verb and resource
~kubectl get events in the deleted namespace
~The node's kubelet logs
~The GitOps controller's status
####API server audit logs record the caller of every write.}
"""

CAMPUS_WIFI = r"""
$CATEGORY: design

::wifi-01:: Which band gives Wi-Fi 7 its widest channels? {
=6 GHz, with 320 MHz channels
~5 GHz, with 160 MHz channels
~2.4 GHz, with 40 MHz channels
~60 GHz, with 2 GHz channels
####320 MHz channels exist only in the 6 GHz band.}

::wifi-02:: What does Multi-Link Operation (MLO) let a client do? {
=Use links on several bands at once for throughput and resilience
~Connect to two SSIDs at the same time
~Roam without re-authenticating
~Use two access points for one link
####MLO aggregates or switches between links in different bands.}

::wifi-03:: Clients in the 6 GHz band must use WPA3 or Enhanced Open. {T ####6 GHz forbids legacy open and WPA2 security.}

::wifi-04:: Which factors reduce the cell size you should design for in a lecture hall? Choose all that apply. {
~%33.33333%High client density
~%33.33333%Latency-sensitive video calls
~%33.33333%A need for high minimum data rates
~%-100%A low ceiling height
####Dense, demanding rooms need smaller cells and more access points.}

::wifi-05:: What is the recommended minimum signal strength at the cell edge for voice over Wi-Fi? {
=−67 dBm
~−80 dBm
~−90 dBm
~−50 dBm
####−67 dBm with at least 25 dB signal-to-noise is the usual voice design target.}

::wifi-06:: In a predictive survey, which wall attenuation is typical for reinforced concrete at 5 GHz? {
~2 dB
~5 dB
=15–25 dB
~60 dB
####Concrete attenuates heavily; drywall is around 3–5 dB.}

::wifi-07:: A post-installation validation survey can be skipped when the predictive survey used accurate wall materials. {F ####Real buildings differ from plans; validate every installation.}

::wifi-08:: How many non-overlapping 20 MHz channels does 2.4 GHz offer in most regions? {
=3
~11
~13
~25
####Channels 1, 6 and 11 are the usual non-overlapping set.}

::wifi-09:: What does AI-driven radio management in Arclight Campus Wi-Fi adjust? Choose all that apply. {
~%50%Channel assignment
~%50%Transmit power
~%-50%SSID names
~%-50%Client passwords
####Radio management plans channels and power from measured interference and coverage.}

::wifi-10:: Which antenna fits a long warehouse aisle best? {
=A directional patch antenna aimed down the aisle
~An omnidirectional antenna at the ceiling's centre
~A dipole pointed at the floor
~No antenna: rely on the neighbouring aisle's AP
####Directional antennas put the energy where the clients are.}

$CATEGORY: operations

::wifi-11:: How does a new Arclight access point get its configuration at a branch? {
=It calls home to Arclight Cloud, which matches its serial to the site and pushes the profile
~An engineer connects a console cable on site
~It copies the configuration from the nearest AP
~It downloads it from a USB stick
####Zero-touch onboarding needs only power, uplink and a claimed serial.}

::wifi-12:: Which switch port setting does an Arclight AP need for several SSIDs on different VLANs? {
=A trunk port carrying the SSIDs' VLANs, with the management VLAN native
~An access port in the guest VLAN
~A port with spanning tree disabled
~A routed port with no VLANs
####Each SSID maps to a VLAN carried on the trunk.}

::wifi-13:: 802.11r fast transition shortens roaming for clients that support it. {T ####Fast transition pre-authenticates with the target AP.}

::wifi-14:: Which information do you need before opening a radio support case? Choose all that apply. {
~%33.33333%The affected clients' MAC addresses
~%33.33333%Time window of the problem in UTC
~%33.33333%The APs and site involved
~%-100%The customer's Wi-Fi password
####Never send credentials; MACs, times and locations let support read the telemetry.}

::wifi-15:: A client shows good signal but poor throughput. What do you check first? {
=Channel utilisation and retries on the AP's radio
~The client's DNS server
~The AP's firmware release notes
~The switch's spanning tree root
####High utilisation or retries point to interference or congestion.}

::wifi-16:: What does the "sticky client" problem describe? {
=A client stays associated with a distant AP although a better one is near
~A client cannot associate at all
~A client keeps its IP address after roaming
~A client uses two bands at once
####Band steering and minimum RSSI settings help clients move on.}

::wifi-17:: Guest Wi-Fi should share the corporate VLAN so that guests reach the internet quickly. {F ####Guests belong in an isolated VLAN or tunnel with client isolation.}

::wifi-18:: Which authentication suits corporate laptops on the campus network? {
=WPA3-Enterprise with 802.1X and EAP-TLS certificates
~WPA2-Personal with a shared password
~An open SSID with a captive portal
~MAC address filtering
####Certificate-based 802.1X ties access to managed devices.}

::wifi-19:: Where do you see which APs a client roamed between in the last hour? {
=The client's timeline in Arclight Cloud
~The switch's MAC address table
~The DHCP server's lease file
~The AP's LED status
####The timeline lists associations, roams and failures with reasons.}

::wifi-20:: Firmware upgrades of a site's APs should be scheduled: {
=In a maintenance window, with staged groups so neighbouring APs are not down together
~During business hours, all at once
~Only when a client reports a problem
~Never; APs upgrade themselves on failure
####Staged upgrades keep coverage from neighbouring APs.}
"""

BANKS = {
    "nimbus-cloud": [
        {
            "pool": "Managed PostgreSQL",
            "gift": MANAGED_POSTGRESQL,
            "certification": {
                "slug": "nimbus-certified-database-engineer",
                "title": "Nimbus Certified Database Engineer",
                "summary": "Design, secure and operate Nimbus Managed PostgreSQL for production customers.",
                "products": ["nimbus-managed-postgresql"],
                "courses": ["managed-postgresql-essentials"],
                "description": "<p>For partner engineers who deploy and run Managed PostgreSQL: you can size a "
                "cluster, connect applications privately, recover data and keep performance healthy.</p>",
                "syllabus": "<ul><li>Provisioning, sizing and maintenance windows</li><li>Private networking, "
                "TLS and least-privilege access</li><li>Backups, point-in-time recovery and cross-region copies"
                "</li><li>Read replicas, failover and query performance</li></ul>",
            },
            "sections": [("Operations", "operations", 6, 2), ("Security", "security", 6, 1)],
        },
        {
            "pool": "Kubernetes Engine",
            "gift": KUBERNETES_ENGINE,
            "certification": {
                "slug": "nimbus-certified-kubernetes-engineer",
                "title": "Nimbus Certified Kubernetes Engineer",
                "summary": "Run production workloads on Nimbus Kubernetes Engine with autoscaling, GitOps and policy.",
                "products": ["nimbus-kubernetes-engine"],
                "courses": ["kubernetes-engine-fundamentals"],
                "description": "<p>Proves you can build clusters that scale, ship through GitOps and stay "
                "secure with policy controls.</p>",
                "syllabus": "<ul><li>Regional clusters, node pools and autoscaling</li><li>Upgrades and "
                "availability</li><li>GitOps delivery, canaries and rollbacks</li><li>Network policy, Pod "
                "Security and supply-chain controls</li></ul>",
            },
            "sections": [("Platform", "platform", 6, 1), ("Delivery and security", "delivery", 6, 1)],
        },
    ],
    "arclight-networks": [
        {
            "pool": "Campus Wi-Fi",
            "gift": CAMPUS_WIFI,
            "certification": {
                "slug": "arclight-certified-wireless-associate",
                "title": "Arclight Certified Wireless Associate",
                "summary": "Design, deploy and troubleshoot Arclight Campus Wi-Fi 7 networks.",
                "products": ["arclight-campus-wifi"],
                "courses": ["campus-wifi-design-fundamentals"],
                "description": "<p>For engineers who plan and install Arclight campus networks: RF design, "
                "zero-touch onboarding and day-two troubleshooting.</p>",
                "syllabus": "<ul><li>Wi-Fi 7, 6 GHz and MLO</li><li>Predictive and validation surveys</li>"
                "<li>Onboarding, VLANs and authentication</li><li>Troubleshooting with Arclight Cloud</li></ul>",
            },
            "sections": [("Design", "design", 6, 1), ("Operations", "operations", 6, 1)],
        },
    ],
}
