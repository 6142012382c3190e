// The Event Grid system topic of the workflow's data account. Blob triggers on Flex Consumption are fed by it; the
// subscriptions to the app's blob extension endpoint are made by event-subscriptions.bicep once the app is deployed
// (the endpoint only answers when the app's code runs, and its key exists only then).
param location string
param tags object
param topicName string
param storageAccountName string
@description('Log Analytics workspace of the topic\'s delivery failures.')
param workspaceId string

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource topic 'Microsoft.EventGrid/systemTopics@2022-06-15' = {
  name: topicName
  location: location
  tags: tags
  // Its own identity writes undeliverable events to the dead-letter container (access.bicep), since the accounts take no keys.
  identity: { type: 'SystemAssigned' }
  properties: {
    source: account.id
    topicType: 'Microsoft.Storage.StorageAccounts'
  }
}

resource deliveryDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: topic
  properties: {
    workspaceId: workspaceId
    logs: [{ category: 'DeliveryFailures', enabled: true }]
  }
}

output topicName string = topic.name
output principalId string = topic.identity.principalId
