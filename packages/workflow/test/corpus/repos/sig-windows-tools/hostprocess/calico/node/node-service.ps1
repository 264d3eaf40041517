Write-Host node
