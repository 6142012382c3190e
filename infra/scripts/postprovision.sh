#!/bin/sh
# azd postprovision: builds the compute image in the registry, creates the jobs namespace and service account and the
# GPU device plugin in the cluster, and gives the Function App the cluster's CA certificate. Runs with the signed-in
# az CLI user's rights (the template makes that user cluster admin when AZURE_PRINCIPAL_ID is set); no key is read.
set -eu
: "${AZURE_RESOURCE_GROUP:?}" "${AZURE_AKS_CLUSTER_NAME:?}" "${AZURE_CONTAINER_REGISTRY_NAME:?}"
: "${AZURE_FUNCTION_APP_NAME:?}" "${CKI_JOBS_NAMESPACE:?}" "${CKI_COMPUTE_CLIENT_ID:?}"
tag="${CKI_COMPUTE_IMAGE_TAG:-latest}"
torch="${CKI_TORCH:-cuda}"

echo "cki: building cki-compute:$tag (libtorch $torch) in registry $AZURE_CONTAINER_REGISTRY_NAME"
az acr build --registry "$AZURE_CONTAINER_REGISTRY_NAME" --image "cki-compute:$tag" \
  --file src/Cki.Compute/Dockerfile --build-arg "TORCH=$torch" .

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
  out=$(cd "$work" && az aks command invoke --resource-group "$AZURE_RESOURCE_GROUP" --name "$AZURE_AKS_CLUSTER_NAME" \
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
# and local accounts off, the user kubeconfig holds that CA and no credential.
ca=$(az aks get-credentials --resource-group "$AZURE_RESOURCE_GROUP" --name "$AZURE_AKS_CLUSTER_NAME" --file - \
  | sed -n 's/^ *certificate-authority-data: *//p' | head -n 1)
az functionapp config appsettings set --resource-group "$AZURE_RESOURCE_GROUP" --name "$AZURE_FUNCTION_APP_NAME" \
  --settings "Cki__KubernetesCertificateAuthority=$ca" --output none
echo "cki: postprovision done"
