Write-Host kube-proxy
