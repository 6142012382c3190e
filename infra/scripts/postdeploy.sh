#!/bin/sh
# azd postdeploy: subscribes the Function App's Event Grid blob triggers to the storage account's system topic
# (infra/bicep/event-subscriptions.bicep). The app's blobs_extension key exists only once its code runs, so this
# comes after the deploy; it is read with the signed-in user's rights and passed as a secure parameter.
set -eu
: "${AZURE_RESOURCE_GROUP:?}" "${AZURE_FUNCTION_APP_NAME:?}" "${CKI_EVENT_GRID_TOPIC:?}"

key=""
for try in 1 2 3 4 5 6 7 8 9 10 11 12; do
  key=$(az functionapp keys list --resource-group "$AZURE_RESOURCE_GROUP" --name "$AZURE_FUNCTION_APP_NAME" \
    --query "systemKeys.blobs_extension" --output tsv 2>/dev/null || true)
  [ -n "$key" ] && break
  echo "cki: waiting for the app's blob extension to start (try $try)"
  sleep 10
done
[ -n "$key" ] || { echo "cki: the app has no blobs_extension key yet; run 'azd hooks run postdeploy' later" >&2; exit 1; }

az deployment group create --resource-group "$AZURE_RESOURCE_GROUP" --name cki-event-subscriptions \
  --template-file infra/bicep/event-subscriptions.bicep \
  --parameters topicName="$CKI_EVENT_GRID_TOPIC" functionAppName="$AZURE_FUNCTION_APP_NAME" blobsExtensionKey="$key" \
  --output none
echo "cki: Event Grid subscriptions in place"
