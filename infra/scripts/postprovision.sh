#!/bin/sh
# azd postprovision: builds the compute image in the registry, creates the jobs namespace and service account and the
# GPU device plugin in the cluster, and hands the Function App the cluster's CA certificate. Runs with the signed-in
# az CLI user's rights (the template makes that user cluster admin when AZURE_PRINCIPAL_ID is set); no key is read.
# Every az call names azd's subscription: az keeps a default subscription of its own, which may be another one.
set -eu
: "${AZURE_SUBSCRIPTION_ID:?}" "${AZURE_RESOURCE_GROUP:?}" "${AZURE_AKS_CLUSTER_NAME:?}" "${AZURE_CONTAINER_REGISTRY_NAME:?}"
: "${AZURE_FUNCTION_APP_NAME:?}" "${CKI_JOBS_NAMESPACE:?}" "${CKI_COMPUTE_CLIENT_ID:?}" "${CKI_COMPUTE_IMAGE:?}"
sub="$AZURE_SUBSCRIPTION_ID"
group="$AZURE_RESOURCE_GROUP"
cluster="$AZURE_AKS_CLUSTER_NAME"
torch="${CKI_TORCH:-cuda}"
# The image the template gave the app ({registry}/cki-compute:{tag}, the tag pinned by preprovision.sh): build that one.
image="${CKI_COMPUTE_IMAGE#*/}"

if [ "${CKI_SKIP_IMAGE_BUILD:-false}" = true ]; then
  echo "cki: CKI_SKIP_IMAGE_BUILD=true: not building $image (push it yourself, see docs/deploy.md)"
else
  echo "cki: building $image (libtorch $torch) in registry $AZURE_CONTAINER_REGISTRY_NAME"
  if ! az acr build --subscription "$sub" --registry "$AZURE_CONTAINER_REGISTRY_NAME" --image "$image" \
    --file src/Cki.Compute/Dockerfile --build-arg "TORCH=$torch" .; then
    echo "cki: the registry did not build the image (its build tasks are refused on some subscriptions, e.g. free credit)." >&2
    echo "cki: build and push it with Docker instead (docs/deploy.md, 'When the registry will not build'), then run:" >&2
    echo "cki:   CKI_SKIP_IMAGE_BUILD=true azd hooks run postprovision" >&2
    exit 1
  fi
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
sed -e "s/__NAMESPACE__/$CKI_JOBS_NAMESPACE/g" -e "s/__CLIENT_ID__/$CKI_COMPUTE_CLIENT_ID/g" infra/k8s/jobs.yaml > "$work/jobs.yaml"
cp infra/k8s/nvidia-device-plugin.yaml "$work/"

# Runs kubectl inside the cluster (a pod on the system pool): no kubeconfig on this machine, Entra ID sign-in only.
# The deployer's cluster-admin assignment was made by this same provision and takes minutes to apply, so a refusal
# is retried. az returns 0 whatever kubectl did: its "exitcode=N" line says how kubectl ended.
tries="${CKI_CLUSTER_TRIES:-20}"
wait="${CKI_CLUSTER_WAIT:-30}"
echo "cki: applying the jobs namespace, service account and GPU device plugin"
try=1
while :; do
  out=$(cd "$work" && az aks command invoke --subscription "$sub" --resource-group "$group" --name "$cluster" \
    --command "kubectl apply -f jobs.yaml -f nvidia-device-plugin.yaml" --file jobs.yaml --file nvidia-device-plugin.yaml 2>&1) || true
  printf '%s\n' "$out"
  case "$out" in
    *"exitcode=0"*) break ;;
  esac
  if [ "$try" -ge "$tries" ]; then
    echo "cki: kubectl in the cluster failed $try times (last output above); a new role assignment can take minutes: run 'azd hooks run postprovision' again" >&2
    exit 1
  fi
  echo "cki: kubectl in the cluster did not succeed (try $try of $tries); retrying in $wait s"
  try=$((try + 1))
  sleep "$wait"
done

# The API server's certificate is signed by the cluster's own CA (public information, not a secret). With Entra ID
# and local accounts off, the user kubeconfig holds that CA and no credential. It goes into azd's environment, from
# which main.parameters.json hands it to the template at every provision (an app setting written only here would be
# wiped by the next one), and into the running app now, so that this first deployment has it too.
ca=$(az aks get-credentials --subscription "$sub" --resource-group "$group" --name "$cluster" --file - \
  | sed -n 's/^ *certificate-authority-data: *//p' | head -n 1)
[ -n "$ca" ] || { echo "cki: the cluster's kubeconfig has no certificate-authority-data" >&2; exit 1; }
azd env set CKI_KUBERNETES_CA "$ca"
az functionapp config appsettings set --subscription "$sub" --resource-group "$group" --name "$AZURE_FUNCTION_APP_NAME" \
  --settings "Cki__KubernetesCertificateAuthority=$ca" --output none
echo "cki: postprovision done"
