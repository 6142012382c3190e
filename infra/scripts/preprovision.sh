#!/bin/sh
# azd preprovision: before anything is created, checks that the chosen region can hold the deployment (the Flex
# Consumption plan and the GPU VM size are offered there, to this subscription) and that the GPU family's vCPU quota has
# room for at least one node; and pins the compute image's tag to the current git commit, so that the template and the
# postprovision build name the same image. Every az call names azd's subscription (az keeps a default of its own).
set -eu
: "${AZURE_SUBSCRIPTION_ID:?}" "${AZURE_LOCATION:?}"
sub="$AZURE_SUBSCRIPTION_ID"
region="$AZURE_LOCATION"
gpu="${CKI_GPU_VM_SIZE:-Standard_NC4as_T4_v3}"
nodes="${CKI_GPU_MAX_COUNT:-2}"

fail() {
  echo "cki: $*" >&2
  exit 1
}

# Region names as az prints them may be display names ("East US"): compare them folded.
fold() { tr -d ' ' | tr '[:upper:]' '[:lower:]'; }

flex=$(az functionapp list-flexconsumption-locations --subscription "$sub" --query "[].name" --output tsv | fold)
if ! printf '%s\n' "$flex" | grep -qx "$region"; then
  fail "region '$region' offers no Flex Consumption plan to this subscription; choose one of: $(printf '%s' "$flex" | tr '\n' ' ')(azd env set AZURE_LOCATION <region>)"
fi

# family, number of restrictions, vCPUs of the GPU size in the region.
sku=$(az vm list-skus --subscription "$sub" --location "$region" --size "$gpu" --resource-type virtualMachines \
  --query "[?name=='$gpu'] | [0].[family, length(restrictions), capabilities[?name=='vCPUs'] | [0].value]" --output tsv)
[ -n "$sku" ] || fail "VM size $gpu is not offered in '$region'; choose another region, or another size with 'azd env set CKI_GPU_VM_SIZE <size>'"
read -r family restrictions vcpus <<SKU
$sku
SKU
[ "$restrictions" = 0 ] || fail "VM size $gpu is restricted for this subscription in '$region' (the size's restrictions in the SKU list say why); choose another region or size"

usage=$(az vm list-usage --subscription "$sub" --location "$region" --query "[?name.value=='$family'] | [0].[currentValue, limit]" --output tsv)
[ -n "$usage" ] || fail "no quota entry for VM family $family in '$region'"
read -r used limit <<USAGE
$usage
USAGE
free=$((limit - used))
if [ "$free" -lt "$vcpus" ]; then
  fail "GPU quota: VM family $family in '$region' has $free of $limit vCPUs free, and one $gpu node needs $vcpus. Ask for more (portal: Subscriptions > Usage + quotas) and run azd up again; without it GPU jobs would wait queued until their timeout"
fi
if [ "$free" -lt $((vcpus * nodes)) ]; then
  echo "cki: warning: the GPU quota ($free vCPUs free) holds $((free / vcpus)) $gpu node(s), fewer than the pool's $nodes; jobs beyond that wait"
fi
echo "cki: region '$region': Flex Consumption offered, $gpu offered, quota for $((free / vcpus)) GPU node(s)"

# The image tag: the commit, so each build is its own image (a moving tag such as 'latest' lets nodes run a stale one).
# Uncommitted changes get a tag of their own; outside a git checkout, the time is the tag. CKI_PIN_IMAGE_TAG=false
# keeps a tag set by hand.
if [ "${CKI_PIN_IMAGE_TAG:-true}" = true ]; then
  stamp=$(date -u +%Y%m%d%H%M%S)
  if commit=$(git rev-parse --short=12 HEAD 2>/dev/null); then
    tag="$commit"
    if [ -n "$(git status --porcelain -- src Directory.Build.props Directory.Packages.props build)" ]; then
      tag="$tag-dirty-$stamp"
    fi
  else
    tag="build-$stamp"
  fi
  azd env set CKI_COMPUTE_IMAGE_TAG "$tag"
  echo "cki: compute image tag $tag"
fi
