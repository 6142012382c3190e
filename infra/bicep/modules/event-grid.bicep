// The Event Grid system topic of the workflow's data account. Blob triggers on Flex Consumption are fed by it; the
// subscriptions to the app's blob extension endpoint are made by event-subscriptions.bicep once the app is deployed
// (the endpoint only answers when the app's code runs, and its key exists only then).
param location string
param tags object
param topicName string
param storageAccountName string

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource topic 'Microsoft.EventGrid/systemTopics@2022-06-15' = {
  name: topicName
  location: location
  tags: tags
  properties: {
    source: account.id
    topicType: 'Microsoft.Storage.StorageAccounts'
  }
}

output topicName string = topic.name
