// The Event Grid subscriptions that feed the Function App's blob triggers (Source = EventGrid). Deployed by the
// postdeploy hook (infra/scripts/postdeploy.sh) once the app's code runs: Event Grid validates a webhook when the
// subscription is made, and the blob extension's endpoint answers only then. The endpoint takes the app's
// blobs_extension system key, which the hook reads with the deployer's own rights and passes in as a secure
// parameter: the template never calls listKeys and keeps no key.
param topicName string
param functionAppName string

@description('The app\'s own storage account, which holds the dead-letter container.')
param deadLetterAccountName string

@description('Container of the events Event Grid gave up delivering (the topic\'s identity may write there).')
param deadLetterContainer string

@secure()
@description('The Function App\'s blobs_extension system key.')
param blobsExtensionKey string

// Function names as the app declares them (Cki.Functions.Triggers) and the blobs each one wants.
var triggers = [
  {
    subscription: 'checkpoints'
    function: 'CheckpointChangedEventGrid'
    subjectBeginsWith: '/blobServices/default/containers/checkpoints/'
    subjectEndsWith: ''
  }
  {
    subscription: 'job-results'
    function: 'JobResultWrittenEventGrid'
    subjectBeginsWith: '/blobServices/default/containers/runs/'
    subjectEndsWith: '/result.json'
  }
]

resource topic 'Microsoft.EventGrid/systemTopics@2022-06-15' existing = {
  name: topicName
}

resource deadLetterAccount 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: deadLetterAccountName
}

resource app 'Microsoft.Web/sites@2024-04-01' existing = {
  name: functionAppName
}

resource subscriptions 'Microsoft.EventGrid/systemTopics/eventSubscriptions@2022-06-15' = [for trigger in triggers: {
  parent: topic
  name: trigger.subscription
  properties: {
    destination: {
      endpointType: 'WebHook'
      properties: {
        endpointUrl: 'https://${app.properties.defaultHostName}/runtime/webhooks/blobs?functionName=Host.Functions.${trigger.function}&code=${blobsExtensionKey}'
      }
    }
    eventDeliverySchema: 'EventGridSchema'
    filter: {
      includedEventTypes: ['Microsoft.Storage.BlobCreated']
      subjectBeginsWith: trigger.subjectBeginsWith
      subjectEndsWith: trigger.subjectEndsWith
    }
    retryPolicy: {
      maxDeliveryAttempts: 30
      eventTimeToLiveInMinutes: 1440
    }
    // An event that could not be delivered within the retries is kept, not dropped: a checkpoint upload or a job result
    // would otherwise be lost to the workflow (the nightly run and the probes still find them, later).
    deadLetterWithResourceIdentity: {
      identity: { type: 'SystemAssigned' }
      deadLetterDestination: {
        endpointType: 'StorageBlob'
        properties: {
          resourceId: deadLetterAccount.id
          blobContainerName: deadLetterContainer
        }
      }
    }
  }
}]
