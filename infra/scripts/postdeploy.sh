#!/bin/sh
# azd postdeploy: subscribes the Function App's Event Grid blob triggers to the storage account's system topic
# (infra/bicep/event-subscriptions.bicep). The app's blobs_extension key exists only once its code runs, so this
# comes after the deploy; it is read with the signed-in user's rights and passed as a secure parameter.
set -eu
# Every az call names azd's subscription: az keeps a default subscription of its own, which may be another one.
: "${AZURE_SUBSCRIPTION_ID:?}" "${AZURE_RESOURCE_GROUP:?}" "${AZURE_FUNCTION_APP_NAME:?}" "${CKI_EVENT_GRID_TOPIC:?}"
: "${AZURE_FUNCTIONS_STORAGE_ACCOUNT_NAME:?}" "${CKI_EVENT_GRID_DEAD_LETTER_CONTAINER:?}"
sub="$AZURE_SUBSCRIPTION_ID"

key=""
for try in $(seq "${CKI_KEY_TRIES:-12}"); do
  key=$(az functionapp keys list --subscription "$sub" --resource-group "$AZURE_RESOURCE_GROUP" --name "$AZURE_FUNCTION_APP_NAME" \
    --query "systemKeys.blobs_extension" --output tsv 2>/dev/null || true)
  [ -n "$key" ] && break
  echo "cki: waiting for the app's blob extension to start (try $try)"
  sleep "${CKI_KEY_WAIT:-10}"
done
[ -n "$key" ] || { echo "cki: the app has no blobs_extension key yet; run 'azd hooks run postdeploy' later" >&2; exit 1; }

az deployment group create --subscription "$sub" --resource-group "$AZURE_RESOURCE_GROUP" --name cki-event-subscriptions \
  --template-file infra/bicep/event-subscriptions.bicep \
  --parameters topicName="$CKI_EVENT_GRID_TOPIC" functionAppName="$AZURE_FUNCTION_APP_NAME" blobsExtensionKey="$key" \
  deadLetterAccountName="$AZURE_FUNCTIONS_STORAGE_ACCOUNT_NAME" deadLetterContainer="$CKI_EVENT_GRID_DEAD_LETTER_CONTAINER" \
  --output none
echo "cki: Event Grid subscriptions in place"
