#!/usr/bin/env python3
"""Checks rendered Kubernetes manifests offline, strictly. Run by tests/deploy/validate.sh.

validate_manifests.py --crds DIR [--k8s-version V]... [--kafka FILE]... [--overlay FILE]...
                      [--topics-header FILE] [FILE...]

Every resource of every file (--kafka, --overlay and plain FILEs, each a multi-document YAML as
`kustomize build` prints it) is checked:
  - a built-in kind against the Kubernetes OpenAPI schemas bundled with kubernetes-validate,
    strict (an unknown field is an error), for each --k8s-version;
  - a Strimzi kind (kafka.strimzi.io) against the openAPIV3Schema of the pinned release in
    --crds, made strict the way the API server's strict field validation is: an object schema
    that lists its properties accepts no other, unless it says x-kubernetes-preserve-unknown-fields;
  - any other kind is an error (nothing goes unchecked);
  - every Ingress states its body limit (proxy-body-size), no larger than the node's;
  - the project's rules for workloads: non-root, read-only root filesystem, no privilege
    escalation, every capability dropped, requests and limits, and gRPC health probes on the
    node's processes;
  - the rules that make a file's four node processes one node: every process sets MC_METRICS
    (ConfigMaps of envFrom included) to a port it declares as `metrics`, with prometheus.io
    scrape annotations and a NetworkPolicy admitting another namespace to that port; mc-stacking
    sets MC_ISSUANCE_ADDRESS to the gRPC port of the Service in front of mc-issuance, and network
    policies let it through at both ends; mc-issuance and mc-stacking mount internal-token.key
    of the node-keys Secret where they read it, and no other process mounts it;
  - the ecosystems each process joins (MC_ECOSYSTEMS_FILE, a JSON file mounted from a
    ConfigMap, or the single-ecosystem MC_KAFKA/MC_KAFKA_CONFIG, never both): each one's Kafka
    configuration file is mounted, uses TLS, and every certificate and key file it names is
    mounted; a NetworkPolicy lets the process reach each one's brokers (a Strimzi bootstrap
    service <cluster>-kafka-bootstrap.<namespace>.svc) on the bootstrap port.
An --overlay must have no placeholder left ("set-by-overlay") and tagged images. With --kafka,
(one per cluster) the topics must be exactly those of --topics-header with the retention the
design needs, only the secretariat may write the registry topic, every overlay's institution
needs a KafkaUser in each cluster its node reaches, whose listener admits the overlay's
namespace,
and every member's KafkaUser has quotas (producerByteRate, consumerByteRate, requestPercentage:
docs/OPERATIONS.md); no node process serves gRPC reflection or runs in development mode.

Prints one line per failure and a closing count; exits 1 when anything failed.
"""
import argparse
import copy
import functools
import json
import os
import re
import sys

import kubernetes_validate
import kubernetes_validate.utils
import yaml

# kubernetes-validate reads and parses its schema files again on every call; they never change.
kubernetes_validate.utils.schema_contents = functools.lru_cache(maxsize=None)(
    kubernetes_validate.utils.schema_contents)

STRIMZI_GROUP = "kafka.strimzi.io"
PLACEHOLDER = "set-by-overlay"
NODE_BINARIES = {"mc-catalogue", "mc-issuance", "mc-recognition", "mc-stacking"}
DNS_SUBDOMAIN = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
# Topics kept forever (docs/SCALING.md); every other topic must expire.
FOREVER = {"mc.registry.v1", "mc.catalogue.v1", "mc.issuance.v1", "mc.recognition.v1",
           "mc.stacking.v1"}
REGISTRY_TOPIC = "mc.registry.v1"
REGISTRY_WRITER = "secretariat"
# Every member's KafkaUser bounds what it may cost the brokers (docs/OPERATIONS.md).
MEMBER_QUOTAS = ("producerByteRate", "consumerByteRate", "requestPercentage")
# Node settings that must stay off in a deployment: reflection describes every method to anyone
# reaching the gRPC port; development mode makes the node its own root.
OFF_IN_DEPLOYMENTS = ("MC_GRPC_REFLECTION", "MC_DEV")
# The single-ecosystem settings, which MC_ECOSYSTEMS_FILE replaces (the node refuses both).
SINGLE_ECOSYSTEM = ("MC_ECOSYSTEM", "MC_ROOT_PUBLIC_KEY", "MC_KAFKA", "MC_KAFKA_CONFIG",
                    "MC_TRUSTED_ROOTS")
ECOSYSTEM_KEYS = {"id", "root_public_key", "kafka", "kafka_config", "log_dir", "event_key_file",
                  "further_roots"}
STRIMZI_BOOTSTRAP = re.compile(
    r"^(?P<cluster>[a-z0-9-]+)-kafka-bootstrap\.(?P<namespace>[a-z0-9-]+)\.svc(\.cluster\.local)?$")


class Report:
    def __init__(self):
        self.failures = []
        self.checked = 0

    def fail(self, where, message):
        self.failures.append(f"{where}: {message}")

    def ok(self):
        self.checked += 1


def load(path):
    with open(path) as f:
        return [doc for doc in yaml.safe_load_all(f) if doc is not None]


def name_of(resource):
    meta = resource.get("metadata") or {}
    return f"{resource.get('kind', '?')}/{meta.get('name', '?')}"


# ---- Strimzi: the pinned CRD schemas, made strict ----

def strict_schema(schema):
    """A copy of a structural schema in which listed properties are the only ones allowed."""
    schema = copy.deepcopy(schema)

    def walk(node):
        if isinstance(node, dict):
            if (node.get("type") == "object" and "properties" in node
                    and "additionalProperties" not in node
                    and not node.get("x-kubernetes-preserve-unknown-fields")):
                node["additionalProperties"] = False
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(schema)
    return schema


def load_crds(directory):
    import jsonschema

    crds = {}
    for entry in sorted(os.listdir(directory)):
        if not entry.endswith(".json"):
            continue
        with open(os.path.join(directory, entry)) as f:
            crd = json.load(f)
        # Kubernetes structural schemas are OpenAPI v3 subsets that draft 7 reads as meant.
        crds[(crd["apiVersion"], crd["kind"])] = jsonschema.Draft7Validator(
            strict_schema(crd["schema"]))
    if not crds:
        raise SystemExit(f"no CRD schemas in {directory}")
    return crds


def check_schema(resource, where, crds, versions, report):
    api_version = resource.get("apiVersion", "")
    kind = resource.get("kind", "")
    meta = resource.get("metadata") or {}
    name = meta.get("name", "")
    if not isinstance(name, str) or len(name) > 253 or not DNS_SUBDOMAIN.match(name):
        report.fail(where, f"metadata.name {name!r} is not a valid Kubernetes name")
        return
    if api_version.split("/")[0] == STRIMZI_GROUP:
        validator = crds.get((api_version, kind))
        if validator is None:
            report.fail(where, f"no pinned Strimzi schema for {api_version} {kind}")
            return
        errors = sorted(validator.iter_errors(resource), key=lambda e: list(e.absolute_path))
        for error in errors:
            path = ".".join(str(p) for p in error.absolute_path) or "(root)"
            report.fail(where, f"{path}: {error.message}")
        if not errors:
            report.ok()
        return
    for version in versions:
        try:
            kubernetes_validate.validate(resource, version, strict=True)
            report.ok()
        except kubernetes_validate.SchemaNotFoundError as e:
            report.fail(where, e.message)
            return
        except kubernetes_validate.ValidationError as e:
            path = ".".join(str(p) for p in e.absolute_path) or "(root)"
            report.fail(where, f"Kubernetes {version}: {path}: {e.message}")


# ---- The project's rules ----

def pod_spec(resource):
    if resource.get("kind") == "Pod":
        return resource.get("spec") or {}
    if resource.get("kind") in ("Deployment", "StatefulSet", "DaemonSet", "Job"):
        return ((resource.get("spec") or {}).get("template") or {}).get("spec") or {}
    return None


# The node's limits (services/mcnode/node_grpc.h, public_http.h): an Ingress in front of it
# must refuse larger bodies itself, so each states its limit and none exceeds the node's.
INGRESS_BODY_LIMITS = {"public": 256 * 1024, "grpc": 2 << 20, "grpc-bulk": 16 << 20}
BODY_SIZE = "nginx.ingress.kubernetes.io/proxy-body-size"


def size_of(text):
    match = re.fullmatch(r"(\d+)([kKmM]?)", str(text or ""))
    if not match:
        return None
    return int(match.group(1)) * {"": 1, "k": 1 << 10, "m": 1 << 20}[match.group(2).lower()]


def check_ingress(resource, where, report):
    if resource.get("kind") != "Ingress":
        return
    name = (resource.get("metadata") or {}).get("name")
    annotations = (resource.get("metadata") or {}).get("annotations") or {}
    size = size_of(annotations.get(BODY_SIZE))
    limit = INGRESS_BODY_LIMITS.get(name)
    if limit is None:
        report.fail(where, f"an Ingress the node's body limits do not name ({name})")
    elif size is None or size == 0:
        report.fail(where, f"no {BODY_SIZE} (bytes, k or m; not 0): nginx would pass any body")
    elif size > limit:
        report.fail(where, f"{BODY_SIZE} {annotations[BODY_SIZE]} exceeds the node's limit of "
                           f"{limit} bytes")
    else:
        report.ok()


def check_workload(resource, where, report):
    spec = pod_spec(resource)
    if spec is None:
        return
    pod_security = spec.get("securityContext") or {}
    for container in (spec.get("containers") or []) + (spec.get("initContainers") or []):
        at = f"{where} container {container.get('name')}"
        security = container.get("securityContext") or {}
        if not (security.get("runAsNonRoot") or pod_security.get("runAsNonRoot")):
            report.fail(at, "runAsNonRoot is not set")
        if security.get("readOnlyRootFilesystem") is not True:
            report.fail(at, "readOnlyRootFilesystem is not true")
        if security.get("allowPrivilegeEscalation") is not False:
            report.fail(at, "allowPrivilegeEscalation is not false")
        if "ALL" not in ((security.get("capabilities") or {}).get("drop") or []):
            report.fail(at, "capabilities are not all dropped")
        resources = container.get("resources") or {}
        for section in ("requests", "limits"):
            for what in ("cpu", "memory"):
                if what not in (resources.get(section) or {}):
                    report.fail(at, f"no resources.{section}.{what}")
        command = container.get("command") or []
        if command and os.path.basename(command[0]) in NODE_BINARIES:
            for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
                grpc = (container.get(probe) or {}).get("grpc")
                if not grpc or grpc.get("port") != 7443:
                    report.fail(at, f"{probe} is not a gRPC health probe on port 7443")
    report.ok()


# ---- The node's processes, as one node: how they reach each other, their keys, metrics ----

INTERNAL_KEY = "internal-token.key"
KEYS_SECRET = "node-keys"
# The processes that share the internal token key; the others must not see it (least privilege).
INTERNAL_KEY_USERS = {"mc-issuance", "mc-stacking"}
METRICS_PORT_NAME = "metrics"
# The Redis password: the server requires it, every process reads it, from this Secret key.
REDIS_SECRET = ("redis-auth", "password")


def selects(selector, labels):
    """Whether a label selector (matchLabels, matchExpressions) selects `labels`."""
    if selector is None:
        return False
    for key, value in (selector.get("matchLabels") or {}).items():
        if labels.get(key) != value:
            return False
    for expression in selector.get("matchExpressions") or []:
        key, operator = expression.get("key"), expression.get("operator")
        values = expression.get("values") or []
        if operator == "In" and labels.get(key) not in values:
            return False
        if operator == "NotIn" and labels.get(key) in values:
            return False
        if operator == "Exists" and key not in labels:
            return False
        if operator == "DoesNotExist" and key in labels:
            return False
    return True


def node_containers(resources):
    """(Deployment, pod labels, pod spec, container, binary) of each node process."""
    for resource in resources:
        if resource.get("kind") != "Deployment":
            continue
        spec = pod_spec(resource)
        template = (resource.get("spec") or {}).get("template") or {}
        labels = (template.get("metadata") or {}).get("labels") or {}
        for container in spec.get("containers") or []:
            command = container.get("command") or []
            if command and os.path.basename(command[0]) in NODE_BINARIES:
                yield resource, labels, spec, container, os.path.basename(command[0])


def effective_env(container, config_maps):
    """The container's MC_* variables: its ConfigMaps (envFrom), then its env. A variable from
    a Secret has the value '<secret NAME/KEY>'."""
    env = {}
    for source in container.get("envFrom") or []:
        ref = source.get("configMapRef")
        if ref and ref.get("name") in config_maps:
            env.update((config_maps[ref["name"]].get("data") or {}))
    for var in container.get("env") or []:
        secret = (var.get("valueFrom") or {}).get("secretKeyRef")
        env[var["name"]] = (f"<secret {secret.get('name')}/{secret.get('key')}>" if secret
                            else var.get("value", ""))
    return env


def mounted_secret_files(spec, container):
    """{path in the container: (Secret name, key)} for every Secret file the container sees; a
    whole Secret mounted without items shows as DIR/* with key '*'."""
    volumes = {v.get("name"): v.get("secret") for v in spec.get("volumes") or [] if v.get("secret")}
    files = {}
    for mount in container.get("volumeMounts") or []:
        secret = volumes.get(mount.get("name"))
        if secret is None:
            continue
        name = secret.get("secretName")
        items = {i.get("path"): i.get("key") for i in secret.get("items") or []}
        base = mount.get("mountPath", "").rstrip("/")
        sub = mount.get("subPath")
        if sub:
            if items:
                if sub in items:
                    files[base] = (name, items[sub])
            else:
                files[base] = (name, sub)
        elif items:
            for path, key in items.items():
                files[f"{base}/{path}"] = (name, key)
        else:
            files[f"{base}/*"] = (name, "*")
    return files


def mounted_config_files(spec, container, config_maps):
    """{path in the container: content} for every ConfigMap file the container sees."""
    volumes = {v.get("name"): v.get("configMap") for v in spec.get("volumes") or []
               if v.get("configMap")}
    files = {}
    for mount in container.get("volumeMounts") or []:
        volume = volumes.get(mount.get("name"))
        if volume is None:
            continue
        data = (config_maps.get(volume.get("name")) or {}).get("data") or {}
        items = {i.get("path"): i.get("key") for i in volume.get("items") or []} or {
            key: key for key in data}
        base = mount.get("mountPath", "").rstrip("/")
        sub = mount.get("subPath")
        for path, key in items.items():
            if key not in data:
                continue
            if sub:
                if sub == path:
                    files[base] = data[key]
            else:
                files[f"{base}/{path}"] = data[key]
    return files


def node_ecosystems(env, config_files, at, report):
    """[(id, kafka, kafka_config)] of the ecosystems the process joins, from its ecosystems file
    or its single-ecosystem settings; refusals reported."""
    path = env.get("MC_ECOSYSTEMS_FILE")
    if not path:
        if not env.get("MC_KAFKA"):
            return []
        return [(env.get("MC_ECOSYSTEM", "dev-ecosystem"), env["MC_KAFKA"],
                 env.get("MC_KAFKA_CONFIG", ""))]
    both = [v for v in SINGLE_ECOSYSTEM if env.get(v)]
    if both:
        report.fail(at, f"MC_ECOSYSTEMS_FILE excludes {', '.join(both)} (the node refuses both)")
    if path not in config_files:
        report.fail(at, f"MC_ECOSYSTEMS_FILE {path} is not a mounted ConfigMap file")
        return []
    try:
        document = json.loads(config_files[path])
    except ValueError as e:
        report.fail(at, f"MC_ECOSYSTEMS_FILE {path} is not JSON: {e}")
        return []
    entries = document.get("ecosystems") if isinstance(document, dict) else None
    if not isinstance(entries, list) or not entries or set(document) != {"ecosystems"}:
        report.fail(at, f"MC_ECOSYSTEMS_FILE {path}: expected {{\"ecosystems\": [...]}} with at "
                        "least one ecosystem")
        return []
    ecosystems = []
    for i, entry in enumerate(entries):
        where = f"{at}: {path} ecosystems[{i}]"
        if not isinstance(entry, dict):
            report.fail(where, "not an object")
            continue
        for key in sorted(set(entry) - ECOSYSTEM_KEYS):
            report.fail(where, f"unknown key {key!r}")
        if not entry.get("kafka"):
            report.fail(where, "no kafka: a node on Kubernetes reaches each ecosystem's Kafka")
            continue
        ecosystems.append((entry.get("id"), entry["kafka"], entry.get("kafka_config", "")))
    return ecosystems


def check_ecosystem_kafka(ecosystem, files, config_files, labels, policies, at, report):
    """One ecosystem's Kafka, seen from a process: its configuration and TLS files mounted, its
    brokers reachable. Returns the (namespace, cluster) of its Strimzi Kafka, or None."""
    ecosystem_id, kafka, kafka_config = ecosystem
    where = f"{at}: ecosystem {ecosystem_id}"
    if not kafka_config:
        report.fail(where, "no Kafka configuration file (TLS settings)")
    elif kafka_config not in config_files:
        report.fail(where, f"its Kafka configuration {kafka_config} is not a mounted ConfigMap file")
    else:
        properties = {}
        for line in config_files[kafka_config].splitlines():
            line = line.strip()
            if line and not line.startswith("#") and "=" in line:
                name, _, value = line.partition("=")
                properties[name.strip()] = value.strip()
        if properties.get("security.protocol", "").lower() not in ("ssl", "sasl_ssl"):
            report.fail(where, f"{kafka_config} does not use TLS (security.protocol)")
        for name in ("ssl.ca.location", "ssl.certificate.location", "ssl.key.location"):
            location = properties.get(name)
            if location is None:
                if name == "ssl.ca.location" or properties.get(
                        "security.protocol", "").lower() == "ssl":
                    report.fail(where, f"{kafka_config} names no {name}")
            elif location not in files and location not in config_files:
                report.fail(where, f"{name} {location} ({kafka_config}) is not mounted")
    cluster = None
    for server in kafka.split(","):
        host, port = port_of(server.strip())
        match = STRIMZI_BOOTSTRAP.match(host)
        if not match or port is None:
            report.fail(where, f"{server!r} is not a Strimzi bootstrap service "
                               "<cluster>-kafka-bootstrap.<namespace>.svc:PORT")
            continue
        cluster = (match["namespace"], match["cluster"])
        broker_labels = {"strimzi.io/cluster": match["cluster"], "strimzi.io/kind": "Kafka"}
        reaches = any(
            "Egress" in (p.get("spec") or {}).get("policyTypes", [])
            and selects((p.get("spec") or {}).get("podSelector"), labels)
            and any(any(peer.get("namespaceSelector") is not None
                        and selects(peer["namespaceSelector"],
                                    {"kubernetes.io/metadata.name": match["namespace"]})
                        and selects(peer.get("podSelector") or {"matchLabels": {}},
                                    broker_labels)
                        for peer in rule.get("to") or [])
                    and any(p_.get("port") == port for p_ in rule.get("ports") or [])
                    for rule in (p.get("spec") or {}).get("egress") or [])
            for p in policies)
        if not reaches:
            report.fail(where, f"no NetworkPolicy lets it reach the brokers of {server} (namespace "
                               f"{match['namespace']}, strimzi.io/cluster {match['cluster']}, "
                               f"port {port})")
    return cluster


def port_of(address):
    host, _, port = (address or "").rpartition(":")
    return host, int(port) if port.isdigit() else None


def check_node(resources, where, report):
    """The rules that make the four processes one working node (docs/OPERATIONS.md)."""
    processes = list(node_containers(resources))
    if not processes:
        return set()
    config_maps = {r["metadata"]["name"]: r for r in resources if r.get("kind") == "ConfigMap"}
    services = [r for r in resources if r.get("kind") == "Service"]
    policies = [r for r in resources if r.get("kind") == "NetworkPolicy"]
    namespace_of = lambda r: (r.get("metadata") or {}).get("namespace")
    labels_of = {binary: labels for _, labels, _, _, binary in processes}
    issuance = next((p for p in processes if p[4] == "mc-issuance"), None)
    issuance_ports = {p.get("name"): p.get("containerPort")
                      for p in (issuance[3].get("ports") or [] if issuance else [])}

    clusters = set()
    for deployment, labels, spec, container, binary in processes:
        at = f"{where} {name_of(deployment)}"
        env = effective_env(container, config_maps)
        ports = {p.get("name"): p.get("containerPort") for p in container.get("ports") or []}

        # Every ecosystem's log: configuration, certificates and the way to its brokers.
        config_files = mounted_config_files(spec, container, config_maps)
        for ecosystem in node_ecosystems(env, config_files, at, report):
            cluster = check_ecosystem_kafka(ecosystem, mounted_secret_files(spec, container),
                                            config_files, labels, policies, at, report)
            if cluster:
                clusters.add(cluster)

        for variable in OFF_IN_DEPLOYMENTS:
            if str(env.get(variable, "false")).lower() not in ("false", "0", "no", "off", ""):
                report.fail(at, f"{variable} is {env[variable]!r}: it must stay off in a "
                                "deployment")

        # Metrics: a listener of its own, a named port, and the scrape annotations on the pod.
        metrics_host, metrics_port = port_of(env.get("MC_METRICS"))
        if not env.get("MC_METRICS"):
            report.fail(at, "no MC_METRICS: the process serves no Prometheus /metrics")
        elif metrics_port is None or metrics_host in ("127.0.0.1", "localhost", "[::1]"):
            report.fail(at, f"MC_METRICS {env['MC_METRICS']!r} is not HOST:PORT reachable from "
                            "outside the pod")
        elif ports.get(METRICS_PORT_NAME) != metrics_port:
            report.fail(at, f"no containerPort named {METRICS_PORT_NAME!r} for MC_METRICS port "
                            f"{metrics_port}")
        else:
            annotations = (((deployment.get("spec") or {}).get("template") or {}).get(
                "metadata") or {}).get("annotations") or {}
            if (annotations.get("prometheus.io/scrape") != "true"
                    or annotations.get("prometheus.io/port") != str(metrics_port)):
                report.fail(at, f"the pod lacks prometheus.io/scrape: \"true\" and "
                                f"prometheus.io/port: \"{metrics_port}\"")
            elif not any(
                    "Ingress" in (p.get("spec") or {}).get("policyTypes", [])
                    and selects((p.get("spec") or {}).get("podSelector"), labels)
                    and any(any(port.get("port") in (metrics_port, METRICS_PORT_NAME)
                                for port in rule.get("ports") or [])
                            and any("namespaceSelector" in peer for peer in rule.get("from") or [])
                            for rule in (p.get("spec") or {}).get("ingress") or [])
                    for p in policies):
                report.fail(at, f"no NetworkPolicy lets the monitoring namespace reach port "
                                f"{metrics_port}")

        # The internal token key: where the process reads it, from node-keys, and only there.
        files = mounted_secret_files(spec, container)
        key_path = env.get("MC_INTERNAL_TOKEN_KEY_FILE") or (
            env.get("MC_DATA_DIR", "").rstrip("/") + "/" + INTERNAL_KEY)
        if binary in INTERNAL_KEY_USERS:
            if files.get(key_path) != (KEYS_SECRET, INTERNAL_KEY):
                report.fail(at, f"does not mount {INTERNAL_KEY} of the Secret {KEYS_SECRET} at "
                                f"{key_path}, where it reads its internal token key")
        else:
            for path, (secret, key) in files.items():
                if key == INTERNAL_KEY or (secret == KEYS_SECRET and key == "*"):
                    report.fail(at, f"mounts {INTERNAL_KEY} ({secret} at {path}); only "
                                    f"{' and '.join(sorted(INTERNAL_KEY_USERS))} may")

        # Redis: the process authenticates with the password the server requires.
        if env.get("MC_REDIS"):
            password_file = env.get("MC_REDIS_PASSWORD_FILE")
            if not password_file:
                report.fail(at, "no MC_REDIS_PASSWORD_FILE: the process would use Redis "
                                "without a password")
            elif files.get(password_file) != REDIS_SECRET:
                report.fail(at, f"MC_REDIS_PASSWORD_FILE {password_file} is not the key "
                                f"{REDIS_SECRET[1]!r} of the Secret {REDIS_SECRET[0]} mounted")

        # Stacking confers through the issuance process: its Service's gRPC port.
        if binary == "mc-stacking":
            address = env.get("MC_ISSUANCE_ADDRESS", "")
            host, port = port_of(address)
            service_name = host.split(".")[0]
            target = next((s for s in services if s["metadata"]["name"] == service_name
                           and namespace_of(s) == namespace_of(deployment)), None)
            if not address:
                report.fail(at, "no MC_ISSUANCE_ADDRESS: stacking cannot issue what it confers")
            elif issuance is None:
                report.fail(at, "MC_ISSUANCE_ADDRESS is set, but no Deployment runs mc-issuance")
            elif (target is None or not selects({"matchLabels": (target.get("spec") or {}).get(
                    "selector") or {}}, issuance[1]) or host not in (
                    service_name, f"{service_name}.{namespace_of(deployment)}",
                    f"{service_name}.{namespace_of(deployment)}.svc",
                    f"{service_name}.{namespace_of(deployment)}.svc.cluster.local")):
                report.fail(at, f"MC_ISSUANCE_ADDRESS {address!r} is not the mc-issuance Service")
            else:
                service_port = next((p for p in target["spec"].get("ports") or []
                                     if p.get("port") == port), None)
                target_port = (service_port or {}).get("targetPort")
                target_port = issuance_ports.get(target_port, target_port)
                if target_port != issuance_ports.get("grpc"):
                    report.fail(at, f"MC_ISSUANCE_ADDRESS {address!r} is not the gRPC port of "
                                    f"the mc-issuance Service")
            if issuance is not None:
                stacking_labels, issuance_labels = labels, issuance[1]
                grpc = issuance_ports.get("grpc")

                def allows(direction, subject, peer_labels):
                    peers = "to" if direction == "Egress" else "from"
                    for p in policies:
                        pspec = p.get("spec") or {}
                        if direction not in pspec.get("policyTypes", []) or not selects(
                                pspec.get("podSelector"), subject):
                            continue
                        for rule in pspec.get(direction.lower()) or []:
                            if (any(port.get("port") in (grpc, "grpc")
                                    for port in rule.get("ports") or [])
                                    and any("namespaceSelector" not in peer and selects(
                                        peer.get("podSelector"), peer_labels)
                                            for peer in rule.get(peers) or [])):
                                return True
                    return False

                if not allows("Egress", stacking_labels, issuance_labels):
                    report.fail(at, "no NetworkPolicy lets mc-stacking reach mc-issuance's gRPC "
                                    f"port {grpc}")
                if not allows("Ingress", issuance_labels, stacking_labels):
                    report.fail(at, "no NetworkPolicy lets mc-issuance admit mc-stacking on its "
                                    f"gRPC port {grpc}")
        elif "MC_ISSUANCE_ADDRESS" in env:
            report.fail(at, "MC_ISSUANCE_ADDRESS is for mc-stacking only (the node refuses it)")
    for server in resources:
        if server.get("kind") != "StatefulSet":
            continue
        for container in pod_spec(server).get("containers") or []:
            if "redis" not in container.get("image", ""):
                continue
            args = container.get("args") or []
            env = effective_env(container, config_maps)
            given = args[args.index("--requirepass") + 1] if "--requirepass" in args[:-1] else ""
            variable = given[2:-1] if given.startswith("$(") and given.endswith(")") else None
            if env.get(variable) != f"<secret {REDIS_SECRET[0]}/{REDIS_SECRET[1]}>":
                report.fail(f"{where} {name_of(server)}",
                            f"Redis does not require the password of the Secret "
                            f"{REDIS_SECRET[0]} (--requirepass $(VAR), VAR from that Secret)")
    missing = NODE_BINARIES - set(labels_of)
    if missing:
        report.fail(where, f"no Deployment runs {', '.join(sorted(missing))}")
    report.ok()
    return clusters


def check_overlay(resources, where, text, report):
    if PLACEHOLDER in text:
        report.fail(where, f"a placeholder '{PLACEHOLDER}' is left in the rendered overlay")
    for resource in resources:
        spec = pod_spec(resource)
        if spec is None:
            continue
        for container in spec.get("containers") or []:
            image = container.get("image", "")
            tag = image.rsplit("/", 1)[-1].partition(":")[2]
            if not tag or tag == "latest":
                report.fail(f"{where} {name_of(resource)}", f"image {image!r} has no pinned tag")
    report.ok()


def institution_of(resources):
    for resource in resources:
        if resource.get("kind") == "ConfigMap" and resource["metadata"]["name"].startswith(
                "node-config"):
            return (resource.get("data") or {}).get("MC_INSTITUTION")
    return None


def header_topics(path):
    with open(path) as f:
        return set(re.findall(r'=\s*"(mc\.[a-z.-]+\.v[0-9]+)"', f.read()))


def acl_covers(acl, topic):
    resource = acl.get("resource") or {}
    if resource.get("type") != "topic":
        return False
    name = resource.get("name", "")
    if resource.get("patternType", "literal") == "prefix":
        return topic.startswith(name)
    return name in (topic, "*")


def kafka_cluster(resources):
    """(namespace, name) of the file's Kafka, or None."""
    kafka = next((r for r in resources if r.get("kind") == "Kafka"), None)
    if kafka is None:
        return None
    return (kafka["metadata"].get("namespace"), kafka["metadata"]["name"])


def namespace_labels(resources):
    """{namespace name: labels} of the file's Namespaces."""
    return {r["metadata"]["name"]: r["metadata"].get("labels") or {} for r in resources
            if r.get("kind") == "Namespace"}


def check_kafka(resources, where, topics_header, institutions, report):
    kinds = {}
    for resource in resources:
        kinds.setdefault(resource.get("kind"), []).append(resource)
    clusters = [k["metadata"]["name"] for k in kinds.get("Kafka", [])]
    if len(clusters) != 1:
        report.fail(where, f"expected one Kafka, found {len(clusters)}")
        return
    cluster = clusters[0]
    annotations = kinds["Kafka"][0]["metadata"].get("annotations") or {}
    for annotation in ("strimzi.io/kraft", "strimzi.io/node-pools"):
        if annotations.get(annotation) != "enabled":
            report.fail(where, f"Kafka {cluster} lacks the annotation {annotation}: enabled")
    if not kinds.get("KafkaNodePool"):
        report.fail(where, "no KafkaNodePool")
    for kind in ("KafkaNodePool", "KafkaTopic", "KafkaUser"):
        for resource in kinds.get(kind, []):
            label = (resource["metadata"].get("labels") or {}).get("strimzi.io/cluster")
            if label != cluster:
                report.fail(f"{where} {name_of(resource)}",
                            f"strimzi.io/cluster is {label!r}, not {cluster!r}")

    declared = {}
    for topic in kinds.get("KafkaTopic", []):
        spec = topic.get("spec") or {}
        declared[spec.get("topicName") or topic["metadata"]["name"]] = spec
    wanted = header_topics(topics_header)
    for missing in sorted(wanted - set(declared)):
        report.fail(where, f"no KafkaTopic for {missing} ({topics_header})")
    for extra in sorted(set(declared) - wanted):
        report.fail(where, f"KafkaTopic {extra} is not a topic of {topics_header}")
    for name, spec in sorted(declared.items()):
        config = spec.get("config") or {}
        retention = str(config.get("retention.ms", ""))
        if name in FOREVER and retention != "-1":
            report.fail(where, f"{name} must be kept forever (retention.ms -1), not {retention!r}")
        if name not in FOREVER and retention in ("", "-1"):
            report.fail(where, f"{name} must expire (a finite retention.ms)")
        if "compact" in str(config.get("cleanup.policy", "delete")):
            report.fail(where, f"{name} must not be compacted (docs/SCALING.md)")
        if spec.get("replicas", 0) < 3 or int(config.get("min.insync.replicas", 2)) < 2:
            report.fail(where, f"{name}: replicas 3 and min.insync.replicas 2 at least")

    users = {u["metadata"]["name"]: u for u in kinds.get("KafkaUser", [])}
    for user_name, user in sorted(users.items()):
        spec = user.get("spec") or {}
        if (spec.get("authentication") or {}).get("type") != "tls":
            report.fail(where, f"KafkaUser {user_name} does not authenticate with TLS")
        for acl in (spec.get("authorization") or {}).get("acls") or []:
            operations = set(acl.get("operations") or [])
            if (acl_covers(acl, REGISTRY_TOPIC) and operations & {"Write", "All"}
                    and acl.get("type", "allow") == "allow" and user_name != REGISTRY_WRITER):
                report.fail(where, f"KafkaUser {user_name} may write {REGISTRY_TOPIC}; only "
                                   f"{REGISTRY_WRITER} may")
        quotas = spec.get("quotas") or {}
        if user_name != REGISTRY_WRITER:
            for quota in MEMBER_QUOTAS:
                value = quotas.get(quota)
                if not isinstance(value, int) or value <= 0:
                    report.fail(where, f"KafkaUser {user_name} has no quota {quota} (a member "
                                       f"must not be able to flood the brokers)")
    if REGISTRY_WRITER not in users:
        report.fail(where, f"no KafkaUser {REGISTRY_WRITER} to write {REGISTRY_TOPIC}")
    peers = [peer.get("namespaceSelector") for listener in
             ((kinds["Kafka"][0].get("spec") or {}).get("kafka") or {}).get("listeners") or []
             for peer in listener.get("networkPolicyPeers") or []]
    for overlay, institution, namespaces in institutions:
        if institution not in users:
            report.fail(where, f"no KafkaUser for the institution {institution!r} of {overlay}")
        for namespace, labels in namespaces.items():
            labels = dict(labels, **{"kubernetes.io/metadata.name": namespace})
            if peers and not any(selects(peer, labels) for peer in peers if peer):
                report.fail(where, f"the listener of Kafka {cluster} does not admit the namespace "
                                   f"{namespace} of {overlay} (networkPolicyPeers)")
    report.ok()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--crds", required=True)
    parser.add_argument("--k8s-version", action="append", dest="versions")
    parser.add_argument("--kafka", action="append", default=[])
    parser.add_argument("--overlay", action="append", default=[])
    parser.add_argument("--topics-header")
    parser.add_argument("files", nargs="*")
    args = parser.parse_args()
    versions = args.versions or ["1.30", "1.37"]
    crds = load_crds(args.crds)
    report = Report()

    files = list(args.files) + list(args.overlay) + list(args.kafka)
    loaded = {}
    reached = {}  # file: the (namespace, cluster) of every Kafka its node reaches
    for path in files:
        try:
            loaded[path] = load(path)
        except yaml.YAMLError as e:
            report.fail(path, f"not YAML: {e}")
            continue
        if not loaded[path]:
            report.fail(path, "no resources")
        for resource in loaded[path]:
            where = f"{os.path.basename(path)} {name_of(resource)}"
            if not isinstance(resource, dict) or "apiVersion" not in resource or "kind" not in resource:
                report.fail(where, "not a Kubernetes resource (apiVersion and kind)")
                continue
            check_schema(resource, where, crds, versions, report)
            check_workload(resource, where, report)
            check_ingress(resource, where, report)
        reached[path] = check_node(loaded[path], os.path.basename(path), report)

    institutions = []
    for path in args.overlay:
        if path not in loaded:
            continue
        with open(path) as f:
            check_overlay(loaded[path], os.path.basename(path), f.read(), report)
        institution = institution_of(loaded[path])
        if not institution:
            report.fail(path, "no MC_INSTITUTION in the node-config ConfigMap")
        else:
            institutions.append((path, institution))
    clusters = {}
    for path in args.kafka:
        if path in loaded:
            clusters.setdefault(kafka_cluster(loaded[path]), []).append(path)
    for path, institution in institutions:
        for cluster in sorted(reached.get(path) or ()):
            if cluster not in clusters and args.kafka:
                report.fail(os.path.basename(path), f"its node reaches the Kafka {cluster[1]} in "
                                                    f"{cluster[0]}, which no --kafka file defines")
    for path in args.kafka:
        if path not in loaded:
            continue
        if not args.topics_header:
            parser.error("--kafka needs --topics-header")
        cluster = kafka_cluster(loaded[path])
        # The overlays whose node reaches this cluster (all of them when none names a cluster,
        # as an overlay without Kafka settings would).
        users = [(os.path.basename(o), institution, namespace_labels(loaded[o]))
                 for o, institution in institutions if cluster in (reached.get(o) or ())]
        check_kafka(loaded[path], os.path.basename(path), args.topics_header, users, report)

    for failure in report.failures:
        print(f"FAIL {failure}")
    print(f"manifests: {report.checked} passed, {len(report.failures)} failed")
    return 1 if report.failures else 0


if __name__ == "__main__":
    sys.exit(main())
